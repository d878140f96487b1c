package dev.leaderelection;

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
   * Whether {@code other} differs from the observed record only in who asked to be preferred:
   * same holder, renew time, transitions and duration.
   */
  boolean isSameTerm(LeaderRecord other) {
    return record.holderIdentity().equals(other.holderIdentity())
        && java.util.Objects.equals(record.renewTime(), other.renewTime())
        && record.leaseTransitions() == other.leaseTransitions()
        && record.leaseDuration().equals(other.leaseDuration());
  }

  /** Whether {@code other} is the same stored state as the one observed. */
  boolean isSameVersion(LeaderRecord other) {
    if (record.version() != null && other.version() != null) {
      return record.version().equals(other.version());
    }
    return record.equals(other);
  }
}
