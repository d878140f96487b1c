package dev.leaderelection.internal.election;

import dev.leaderelection.spi.LeaderRecord;

/**
 * A record as this instance saw it, and when (on its own ticker) it first saw this version.
 * Expiry counts from that moment with the record's own lease duration, never from the record's
 * wall-clock times.
 */
record Observation(LeaderRecord record, long observedAtNanos) {

  long expiresAtNanos() {
    return observedAtNanos + record.leaseDuration().toNanos();
  }

  boolean expiredAt(long nowNanos) {
    return nowNanos - observedAtNanos >= record.leaseDuration().toNanos();
  }

  /**
   * Whether {@code other} is a change of who asked to be preferred and nothing else: same holder,
   * renew time, transitions and duration. (A write that changes nothing visible, such as a renew
   * within the same second in a seconds-precision record, still counts as a renewal.)
   */
  boolean isSameTerm(LeaderRecord other) {
    return !java.util.Objects.equals(record.preferredHolder(), other.preferredHolder())
        && record.holderIdentity().equals(other.holderIdentity())
        && java.util.Objects.equals(record.renewTime(), other.renewTime())
        && record.leaseTransitions() == other.leaseTransitions()
        && record.leaseDuration().equals(other.leaseDuration());
  }

  /**
   * Whether {@code other} is an older state than the one observed: a read answered after the
   * watch delivered something newer (see {@link LeaderRecord#isNewerThan}).
   */
  boolean isNewerThan(LeaderRecord other) {
    return record.isNewerThan(other);
  }

  /** Whether {@code other} is the same stored state as the one observed. */
  boolean isSameVersion(LeaderRecord other) {
    if (record.version() != null && other.version() != null) {
      return record.version().equals(other.version());
    }
    return record.equals(other);
  }
}
