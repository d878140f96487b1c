package dev.leaderelection;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The state of one election as stored by a {@link LeaseLock}: who holds the lease, for how long,
 * and the version the store assigned to it.
 *
 * <p>The fields mirror a Kubernetes Lease so that other clients (client-go, kubectl) read the same
 * record. {@code acquireTime} and {@code renewTime} are wall-clock times written for humans and
 * other clients; the elector never compares them with its own clock.
 *
 * @param holderIdentity the identity of the holder, or {@code ""} when the lease is released
 * @param leaseDuration how long others wait, after observing the last change, before taking over
 * @param acquireTime when the current holder acquired the lease, if known
 * @param renewTime when the current holder last renewed the lease, if known
 * @param leaseTransitions how many terms have begun; the fencing token of the current term
 * @param holderPriority the preemption priority of the holder ({@code 0} when not used)
 * @param preferredHolder a candidate of higher priority that asked the holder to yield, if any
 * @param version the store's version of this record (a resourceVersion), {@code null} before it
 *     is stored; updates are accepted only against the latest version
 *
 * @since 0.1.0
 */
public record LeaderRecord(
    String holderIdentity,
    Duration leaseDuration,
    @Nullable Instant acquireTime,
    @Nullable Instant renewTime,
    int leaseTransitions,
    int holderPriority,
    @Nullable PreferredHolder preferredHolder,
    @Nullable String version) {

  /** Validates the record; {@code holderIdentity} may be empty but not null. */
  public LeaderRecord {
    Objects.requireNonNull(holderIdentity, "holderIdentity");
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    if (leaseDuration.isNegative()) {
      throw new IllegalArgumentException("leaseDuration must not be negative: " + leaseDuration);
    }
    if (leaseTransitions < 0) {
      throw new IllegalArgumentException(
          "leaseTransitions must not be negative: " + leaseTransitions);
    }
  }

  /** Whether some instance holds the lease ({@code false} once it was released). */
  public boolean isHeld() {
    return !holderIdentity.isEmpty();
  }

  /**
   * Whether this record is a newer stored state than {@code other}, by the rule of
   * {@link LeaseLock}: only when both versions are whole numbers (Kubernetes resourceVersions,
   * etcd revisions), the larger being the newer; opaque versions are never ordered.
   *
   * @since 0.2.0
   */
  public boolean isNewerThan(LeaderRecord other) {
    String mine = version;
    String theirs = other.version();
    if (mine == null || theirs == null || !isWholeNumber(mine) || !isWholeNumber(theirs)) {
      return false;
    }
    return mine.length() != theirs.length() ? mine.length() > theirs.length()
        : mine.compareTo(theirs) > 0;
  }

  private static boolean isWholeNumber(String version) {
    return !version.isEmpty() && version.length() <= 30 && version.chars().allMatch(
        c -> c >= '0' && c <= '9') && (version.length() == 1 || version.charAt(0) != '0');
  }

  /** Returns a copy of this record carrying the given store version. */
  public LeaderRecord withVersion(@Nullable String newVersion) {
    return new LeaderRecord(holderIdentity, leaseDuration, acquireTime, renewTime,
        leaseTransitions, holderPriority, preferredHolder, newVersion);
  }

  /**
   * A candidate that asked the current holder to hand the lease over because its priority is
   * higher.
   *
   * @param identity the identity of the candidate
   * @param priority its priority
   */
  public record PreferredHolder(String identity, int priority) {

    /** Validates the identity. */
    public PreferredHolder {
      Objects.requireNonNull(identity, "identity");
    }
  }
}
