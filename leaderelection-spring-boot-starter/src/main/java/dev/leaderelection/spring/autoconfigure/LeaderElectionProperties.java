package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.Durations;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * Leader election settings, under {@code leader-election}. Named elections under
 * {@code leader-election.elections.<name>} take every unset value from the top level. Durations
 * take a unit ({@code 15s}, {@code 500ms}, {@code PT15S}); a bare number means seconds, as for
 * Spring Boot's session timeouts.
 *
 * @param enabled Whether to elect a leader at all; false turns every bean of this starter off,
 *     including the @OnLeader guard
 * @param leaseName The name of the Lease (or ConfigMap) that holds the default election; a valid
 *     Kubernetes name. Without it, only named elections are held
 * @param namespace The namespace of the lease; defaults to POD_NAMESPACE, then the service
 *     account's namespace, then "default"
 * @param identity This instance's identity; defaults to POD_NAME (or HOSTNAME, or the host name)
 *     followed by "_" and 8 random hex digits, so no two processes share one
 * @param leaseDuration How long followers wait, after they last saw the lease change, before
 *     taking over
 * @param renewDeadline How long after its last successful renew a leader stops leading; less
 *     than the lease duration
 * @param retryPeriod How often candidates retry and leaders renew; the renew deadline must exceed
 *     1.2 times this
 * @param releaseOnShutdown Whether a leader releases the lease on shutdown so another instance
 *     takes over at once
 * @param lock Where the election is held: auto (a Lease when a Kubernetes API is configured,
 *     else in-memory), lease, configmap or in-memory (this JVM only)
 * @param priority This instance's preemption priority (0 or more); a higher priority candidate
 *     takes over from a lower priority leader without overlap
 * @param elections Further elections by name, each with its own lease; unset values are taken
 *     from the top level, and the lease name defaults to the election's name
 * @param lockCallThreads How many calls to the API server all elections of the application may
 *     make at once (1 or more); raise it for many elections on a slow API server
 * @param health How the leaderElection health indicator judges failures
 * @param waitForReadiness Whether to compete only while the application's readiness state is
 *     ACCEPTING_TRAFFIC (from startup until it is ready, and whenever it refuses traffic, a leader
 *     yields and a follower stands aside)
 *
 * @since 0.1.0
 */
@ConfigurationProperties("leader-election")
public record LeaderElectionProperties(
    @DefaultValue("true") boolean enabled,
    @Nullable String leaseName,
    @Nullable String namespace,
    @Nullable String identity,
    @DefaultValue("15s") @DurationUnit(ChronoUnit.SECONDS) Duration leaseDuration,
    @DefaultValue("10s") @DurationUnit(ChronoUnit.SECONDS) Duration renewDeadline,
    @DefaultValue("2s") @DurationUnit(ChronoUnit.SECONDS) Duration retryPeriod,
    @DefaultValue("true") boolean releaseOnShutdown,
    @DefaultValue("auto") LockType lock,
    @DefaultValue("0") int priority,
    Map<String, Election> elections,
    @DefaultValue("2") int lockCallThreads,
    @DefaultValue Health health,
    @DefaultValue("false") boolean waitForReadiness) {

  /** The name under which the default election appears in events, health and metrics. */
  public static final String DEFAULT_ELECTION = "default";

  /** Creates the properties; a missing elections map means none. */
  public LeaderElectionProperties {
    elections = elections == null ? Map.of() : Map.copyOf(elections);
  }

  /**
   * How the {@code leaderElection} health indicator judges failures.
   *
   * @param failureTolerance How long the lock may keep failing before health turns DOWN (a leader
   *     past its renew deadline is DOWN at once); defaults to each election's renew deadline
   * @since 0.2.0
   */
  public record Health(@Nullable @DurationUnit(ChronoUnit.SECONDS) Duration failureTolerance) {

    /** @throws IllegalArgumentException when the tolerance is negative */
    public Health {
      if (failureTolerance != null && failureTolerance.isNegative()) {
        throw new IllegalArgumentException("leader-election.health.failure-tolerance is "
            + Durations.format(failureTolerance) + "; it must not be negative");
      }
    }
  }

  /** Where an election is held. */
  public enum LockType {
    /** A Lease when a Kubernetes API is configured, otherwise in-memory (with a warning). */
    AUTO,
    /** A coordination.k8s.io/v1 Lease. */
    LEASE,
    /** A ConfigMap annotated as client-go does. */
    CONFIGMAP,
    /** This JVM only: for tests and single-process runs. */
    IN_MEMORY
  }

  /**
   * A named election; every unset value is taken from the top level.
   *
   * @param leaseName The name of its Lease (or ConfigMap); defaults to the election's name
   * @param namespace The namespace of its lease
   * @param leaseDuration How long followers wait before taking over
   * @param renewDeadline How long after its last renew a leader stops leading
   * @param retryPeriod How often candidates retry and leaders renew
   * @param releaseOnShutdown Whether a leader releases the lease on shutdown
   * @param lock Where the election is held
   * @param priority This instance's preemption priority in this election
   */
  public record Election(
      @Nullable String leaseName,
      @Nullable String namespace,
      @Nullable @DurationUnit(ChronoUnit.SECONDS) Duration leaseDuration,
      @Nullable @DurationUnit(ChronoUnit.SECONDS) Duration renewDeadline,
      @Nullable @DurationUnit(ChronoUnit.SECONDS) Duration retryPeriod,
      @Nullable Boolean releaseOnShutdown,
      @Nullable LockType lock,
      @Nullable Integer priority) {
  }
}
