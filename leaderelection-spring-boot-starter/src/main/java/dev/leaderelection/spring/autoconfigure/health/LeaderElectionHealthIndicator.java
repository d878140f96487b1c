package dev.leaderelection.spring.autoconfigure.health;

import static dev.leaderelection.internal.Durations.format;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.internal.Identities;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one election: UP for a healthy leader or follower, with its role, the leader,
 * the lease, the transitions and the last renew. DOWN when the lock has not been read or written
 * for longer than the failure tolerance (with the lock's {@link LeaseLockException#details()}: for
 * Kubernetes the status, reason and refused verb and resource, for etcd the code, reason and
 * endpoints; within the tolerance UP with the same details), or when this instance still acts as
 * leader long after its lease expired (client-go's {@code Check}). Details carry no credentials,
 * and identities read from records (written by anyone who may edit the lock) are bounded.
 */
final class LeaderElectionHealthIndicator implements HealthIndicator {

  /** A lease longer than this many times the election's own is reported as unusual. */
  static final int UNUSUAL_LEASE_FACTOR = 10;

  private final Supplier<LeaderElector> elector;
  private final @Nullable Duration failureTolerance;
  private final Supplier<Map<String, Object>> extraDetails;

  /** @param failureTolerance null for the election's renew deadline */
  LeaderElectionHealthIndicator(Supplier<LeaderElector> elector,
      @Nullable Duration failureTolerance) {
    this(elector, failureTolerance, Map::of);
  }

  /**
   * @param failureTolerance null for the election's renew deadline
   * @param extraDetails details the starter's contributors add, such as a problem recording
   *     Events; they never turn health DOWN
   */
  LeaderElectionHealthIndicator(Supplier<LeaderElector> elector,
      @Nullable Duration failureTolerance, Supplier<Map<String, Object>> extraDetails) {
    this.elector = elector;
    this.failureTolerance = failureTolerance;
    this.extraDetails = extraDetails;
  }

  @Override
  public Health health() {
    LeaderElector current = elector.get();
    Optional<LeaderRecord> record = current.observedRecord();
    Health.Builder health = Health.up()
        .withDetail("role", LeaderElections.role(current))
        .withDetail("identity", current.identity())
        .withDetail("leader", current.leader().map(Identities::shown).orElse(""))
        .withDetail("lease", current.lock().describe());
    record.ifPresent(observed -> {
      health.withDetail("transitions", observed.leaseTransitions());
      if (observed.renewTime() != null) {
        health.withDetail("lastRenew", observed.renewTime().toString());
      }
      unusualLease(current, observed).ifPresent(warning -> health.withDetail("warning", warning));
    });
    current.watchFailure().ifPresent(failure -> health.withDetail("watch",
        "polling every " + format(current.timings().retryPeriod())
            + " (" + failure.getMessage() + ")"));
    Optional<LeaseLockException> failure = current.lastFailure();
    if (failure.isPresent()) {
      Duration tolerance = failureTolerance != null ? failureTolerance
          : current.timings().renewDeadline();
      Duration failing = current.failingFor();
      if (failing.compareTo(tolerance) >= 0) {
        health.down();
      }
      health.withDetail("error", failure.get().getMessage())
          .withDetail("failingFor", format(failing));
      health.withDetails(failure.get().details());
    }
    current.check(current.timings().leaseDuration())
        .ifPresent(problem -> health.down().withDetail("error", problem));
    health.withDetails(extraDetails.get());
    return health.build();
  }

  /**
   * A holder other than this instance with a lease far longer than this election's (a stranger's
   * or a misconfigured client's): every replica waits it out, so operators should know.
   */
  static Optional<String> unusualLease(LeaderElector elector, LeaderRecord observed) {
    Duration own = elector.timings().leaseDuration();
    if (!observed.isHeld() || observed.holderIdentity().equals(elector.identity())
        || observed.leaseDuration().compareTo(own.multipliedBy(UNUSUAL_LEASE_FACTOR)) <= 0) {
      return Optional.empty();
    }
    return Optional.of("'" + Identities.printable(observed.holderIdentity()) + "' holds "
        + elector.lock().describe() + " for " + observed.leaseDuration().toSeconds()
        + "s, far longer than this election's " + own.toSeconds() + "s: if that holder is gone, "
        + "delete the lock object to hand over at once");
  }
}
