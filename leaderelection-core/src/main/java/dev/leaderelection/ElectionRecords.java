package dev.leaderelection;

import dev.leaderelection.LeaderRecord.PreferredHolder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * The records this elector writes, each a pure function of the record it replaces: a new term,
 * a renewal, a release and a claim of preference. Wall-clock times are written for humans and
 * other clients only, in microseconds as a Lease's MicroTime holds them. Thread-safe.
 */
final class ElectionRecords {

  /** A released lease's duration: short, so clients that ignore the empty holder move on. */
  static final Duration RELEASED_LEASE_DURATION = Duration.ofSeconds(1);

  private final String identity;
  private final Duration leaseDuration;
  private final int priority;
  private final Clock clock;
  private final boolean coordinated;

  ElectionRecords(String identity, Duration leaseDuration, int priority, Clock clock) {
    this(identity, leaseDuration, priority, clock, false);
  }

  /** The records of {@code config}'s election. */
  ElectionRecords(ElectionConfig config) {
    this(config.identity(), config.timings().leaseDuration(), config.priority(), config.clock(),
        config.candidacy() != null);
  }

  /** @param coordinated a release drops the preference, which is the coordinator's to set */
  private ElectionRecords(String identity, Duration leaseDuration, int priority, Clock clock,
      boolean coordinated) {
    this.identity = identity;
    this.leaseDuration = leaseDuration;
    this.priority = priority;
    this.clock = clock;
    this.coordinated = coordinated;
  }

  /** A new term with {@code token}, replacing {@code current} (null: creating the record). */
  LeaderRecord newTerm(@Nullable LeaderRecord current, int token) {
    Instant now = now();
    return new LeaderRecord(identity, leaseDuration, now, now, token, priority, null,
        current == null ? null : current.version());
  }

  /** The same term renewed now; a preference claim on it is dropped (it was considered). */
  LeaderRecord renewal(LeaderRecord held) {
    Instant now = now();
    Instant acquired = held.acquireTime() != null ? held.acquireTime() : now;
    return new LeaderRecord(identity, leaseDuration, acquired, now, held.leaseTransitions(),
        priority, null, held.version());
  }

  /**
   * The lease released: no holder, a short duration, the count and any preference kept (unless
   * coordinated: the coordinator chooses the next holder).
   */
  LeaderRecord release(LeaderRecord held) {
    Instant now = now();
    return new LeaderRecord("", RELEASED_LEASE_DURATION, now, now, held.leaseTransitions(), 0,
        coordinated ? null : held.preferredHolder(), held.version());
  }

  /** The holder's record unchanged but for this elector asking to be preferred. */
  LeaderRecord preferenceClaim(LeaderRecord held) {
    return new LeaderRecord(held.holderIdentity(), held.leaseDuration(), held.acquireTime(),
        held.renewTime(), held.leaseTransitions(), held.holderPriority(),
        new PreferredHolder(identity, priority), held.version());
  }

  /** Now on the wall clock, in microseconds. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
