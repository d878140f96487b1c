package dev.leaderelection.internal.election;

import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
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
    return LeaderRecord.builder().holderIdentity(identity).leaseDuration(leaseDuration)
        .acquireTime(now).renewTime(now).leaseTransitions(token).holderPriority(priority)
        .version(current == null ? null : current.version()).build();
  }

  /** The same term renewed now; a preference claim on it is dropped (it was considered). */
  LeaderRecord renewal(LeaderRecord held) {
    Instant now = now();
    Instant acquired = held.acquireTime() != null ? held.acquireTime() : now;
    return LeaderRecord.builder().holderIdentity(identity).leaseDuration(leaseDuration)
        .acquireTime(acquired).renewTime(now).leaseTransitions(held.leaseTransitions())
        .holderPriority(priority).version(held.version()).build();
  }

  /**
   * The lease released: no holder, a short duration, the count and any preference kept (unless
   * coordinated: the coordinator chooses the next holder).
   */
  LeaderRecord release(LeaderRecord held) {
    Instant now = now();
    return LeaderRecord.builder().holderIdentity("").leaseDuration(RELEASED_LEASE_DURATION)
        .acquireTime(now).renewTime(now).leaseTransitions(held.leaseTransitions())
        .preferredHolder(coordinated ? null : held.preferredHolder()).version(held.version())
        .build();
  }

  /** The holder's record unchanged but for this elector asking to be preferred. */
  LeaderRecord preferenceClaim(LeaderRecord held) {
    return held.toBuilder().preferredHolder(new PreferredHolder(identity, priority)).build();
  }

  /** Now on the wall clock, in microseconds. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
