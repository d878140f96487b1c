package dev.leaderelection.spring.autoconfigure.endpoint;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.internal.Durations;
import dev.leaderelection.internal.Identities;
import dev.leaderelection.spring.autoconfigure.ContributedDetails;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.annotation.RegisterReflectionForBinding;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code leaderelection} Actuator endpoint, modelled on Spring Boot's {@code loggers}: reads
 * every election and every sharded group of this application
 * ({@code GET /actuator/leaderelection}, groups as {@link GroupDescriptor}s) or one election
 * ({@code GET /actuator/leaderelection/{election}}, 404 when unknown), and yields leadership of one
 * ({@code POST /actuator/leaderelection/{election}} with {@code {"action": "yield"}} and
 * optionally {@code "for": "30s"}, where a bare number means seconds; one lease duration by
 * default, at least twice the retry period, at most 365 days). Identities read from records are
 * answered bounded. Thread-safe.
 *
 * @since 0.2.0
 */
@Endpoint(id = "leaderelection")
public final class LeaderElectionEndpoint {

  /** The only action the write operation takes. */
  static final String YIELD = "yield";

  private final LeaderElections elections;
  private final ContributedDetails details;

  /** @param details what the starter adds to each election's and group's details, as to health */
  LeaderElectionEndpoint(LeaderElections elections, ContributedDetails details) {
    this.elections = elections;
    this.details = details;
  }

  private ElectionDescriptor describe(String election) {
    return ElectionDescriptor.of(elections.elector(election),
        details.election(LeaderElections.normalize(election)));
  }

  /** Every election and every sharded group of this application, by name. */
  @ReadOperation
  public ElectionsDescriptor elections() {
    Map<String, ElectionDescriptor> all = new LinkedHashMap<>();
    elections.names().forEach(name -> all.put(name, describe(name)));
    Map<String, GroupDescriptor> groups = new LinkedHashMap<>();
    elections.groups().forEach(name -> groups.put(name,
        GroupDescriptor.of(elections.group(name), details.group(name))));
    return new ElectionsDescriptor(all, groups);
  }

  /** One election; null (so 404) when no such election is configured. */
  @ReadOperation
  public @Nullable ElectionDescriptor election(@Selector String election) {
    return elections.isConfigured(election) ? describe(election) : null;
  }

  /**
   * Yields leadership of {@code election} for {@code backOff} (the body's {@code for}, one lease
   * duration when absent, at least twice the retry period): see {@link LeaderElector#yield}.
   * Answers once the lease is released; a request that breaks a rule is answered 400 with a
   * {@link RefusalDescriptor}.
   */
  @WriteOperation
  @RegisterReflectionForBinding({YieldDescriptor.class, RefusalDescriptor.class})
  public WebEndpointResponse<Object> yieldLeadership(@Selector String election,
      @Nullable String action, @Nullable String backOff) {
    if (!YIELD.equals(action)) {
      return RefusalDescriptor.response("action", action,
          action == null ? "is required and must be '" + YIELD + "'" : "must be '" + YIELD + "'");
    }
    Duration requested;
    try {
      requested = backOff != null ? YieldBackOff.parse(backOff) : null;
    } catch (IllegalArgumentException broken) {
      return RefusalDescriptor.response(ForBodyFieldAdvisor.FIELD, backOff, broken.getMessage());
    }
    if (!elections.isConfigured(election)) {
      return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }
    LeaderElector elector = elections.elector(election);
    Duration least = YieldBackOff.least(elector.timings());
    Duration wanted = requested != null ? requested : elector.timings().leaseDuration();
    Duration rest = wanted.compareTo(least) < 0 ? least : wanted;
    String name = LeaderElections.normalize(election);
    if (!await(elector, rest)) {
      return new WebEndpointResponse<>(new YieldDescriptor(name, false, null,
          elector.identity() + " does not lead " + name + "; nothing to yield"));
    }
    String raised = rest.equals(wanted) ? "" : " (" + (requested != null
        ? ForBodyFieldAdvisor.FIELD + " was " + Durations.format(requested) + "; " : "")
        + "the least back-off is twice the retry period)";
    return new WebEndpointResponse<>(new YieldDescriptor(name, true, Durations.format(rest),
        elector.identity() + " yielded " + name + " and competes again in "
            + Durations.format(rest) + raised));
  }

  private static boolean await(LeaderElector elector, Duration rest) {
    try {
      return elector.yield(rest).toCompletableFuture()
          .get(elector.timings().leaseDuration().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } catch (ExecutionException | TimeoutException e) {
      // The term has ended; the lease is released later or expires.
      return true;
    }
  }

  /**
   * Every election and every sharded group of this application.
   *
   * @param elections each election by name ({@code default} for the default one)
   * @param groups each sharded group by name, as this replica sees it; empty when none
   */
  public record ElectionsDescriptor(Map<String, ElectionDescriptor> elections,
      Map<String, GroupDescriptor> groups) {
  }

  /**
   * What a yield did.
   *
   * @param yielded whether this instance led and gave it up
   * @param backOff how long it stays out (the body's {@code for}, or what it was raised to), or
   *     null when it did not yield
   */
  public record YieldDescriptor(String election, boolean yielded, @Nullable String backOff,
      String message) {
  }

  /**
   * Why a request was refused (400): as Spring Boot's own messages do, it names the body's field,
   * the value given and the rule the value breaks, and says all three in {@code message}.
   *
   * @param value the value given, bounded as identities read from records are; null when absent
   * @since 0.2.0
   */
  public record RefusalDescriptor(String field, @Nullable String value, String rule,
      String message) {

    static WebEndpointResponse<Object> response(String field, @Nullable String given,
        String rule) {
      String value = given != null ? Identities.printable(given) : null;
      return new WebEndpointResponse<>(new RefusalDescriptor(field, value, rule,
          field + (value != null ? " is '" + value + "' but " : " ") + rule),
          WebEndpointResponse.STATUS_BAD_REQUEST);
    }
  }
}
