package dev.leaderelection.spring.autoconfigure.endpoint;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.internal.Durations;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code leaderelection} Actuator endpoint, modelled on Spring Boot's {@code loggers}: reads
 * every election of this application ({@code GET /actuator/leaderelection}) or one
 * ({@code GET /actuator/leaderelection/{election}}, 404 when unknown), and yields leadership of one
 * ({@code POST /actuator/leaderelection/{election}} with {@code {"action": "yield"}} and
 * optionally {@code "for": "30s"}; one lease duration by default). Thread-safe.
 *
 * @since 0.2.0
 */
@Endpoint(id = "leaderelection")
public final class LeaderElectionEndpoint {

  /** The only action the write operation takes. */
  static final String YIELD = "yield";

  private final LeaderElections elections;

  LeaderElectionEndpoint(LeaderElections elections) {
    this.elections = elections;
  }

  /** Every election of this application, by name. */
  @ReadOperation
  public ElectionsDescriptor elections() {
    Map<String, ElectionDescriptor> all = new LinkedHashMap<>();
    elections.names().forEach(name -> all.put(name,
        ElectionDescriptor.of(elections.elector(name))));
    return new ElectionsDescriptor(all);
  }

  /** One election; null (so 404) when no such election is configured. */
  @ReadOperation
  public @Nullable ElectionDescriptor election(@Selector String election) {
    return elections.isConfigured(election)
        ? ElectionDescriptor.of(elections.elector(election)) : null;
  }

  /**
   * Yields leadership of {@code election} for {@code backOff} (the body's {@code for}): see
   * {@link LeaderElector#yield(Duration)}. Answers once the lease is released.
   */
  @WriteOperation
  public WebEndpointResponse<YieldDescriptor> yieldLeadership(@Selector String election,
      String action, @Nullable Duration backOff) {
    if (!YIELD.equals(action)) {
      throw new InvalidEndpointRequestException("action is '" + action + "'; the only action is "
          + "'yield'", "Unknown action");
    }
    if (!elections.isConfigured(election)) {
      return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }
    LeaderElector elector = elections.elector(election);
    Duration rest = backOff != null ? backOff : elector.timings().leaseDuration();
    if (rest.isNegative()) {
      throw new InvalidEndpointRequestException("for is " + Durations.format(rest)
          + "; it must not be negative", "Negative back-off");
    }
    boolean yielded = await(elector, rest);
    String name = LeaderElections.normalize(election);
    return new WebEndpointResponse<>(new YieldDescriptor(name, yielded, yielded
        ? elector.identity() + " yielded " + name + " and competes again in "
            + Durations.format(rest)
        : elector.identity() + " does not lead " + name + "; nothing to yield"));
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
   * Every election of this application.
   *
   * @param elections each election by name ({@code default} for the default one)
   */
  public record ElectionsDescriptor(Map<String, ElectionDescriptor> elections) {
  }

  /**
   * What a yield did.
   *
   * @param yielded whether this instance led and gave it up
   */
  public record YieldDescriptor(String election, boolean yielded, String message) {
  }
}
