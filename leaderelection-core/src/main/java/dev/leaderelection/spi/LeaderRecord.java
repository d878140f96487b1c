package dev.leaderelection.spi;

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
 * <p>Built with {@link #builder()}, or copied with changes through {@link #toBuilder()}, so that a
 * field added later breaks no lock. Immutable and thread-safe; two records are equal when all
 * their fields are.
 *
 * @since 0.1.0
 */
public final class LeaderRecord {

  private final String holderIdentity;
  private final Duration leaseDuration;
  private final @Nullable Instant acquireTime;
  private final @Nullable Instant renewTime;
  private final int leaseTransitions;
  private final int holderPriority;
  private final @Nullable PreferredHolder preferredHolder;
  private final @Nullable String version;

  private LeaderRecord(Builder builder) {
    this.holderIdentity = builder.holderIdentity;
    this.leaseDuration = builder.leaseDuration;
    this.acquireTime = builder.acquireTime;
    this.renewTime = builder.renewTime;
    this.leaseTransitions = builder.leaseTransitions;
    this.holderPriority = builder.holderPriority;
    this.preferredHolder = builder.preferredHolder;
    this.version = builder.version;
  }

  /**
   * A builder of a released record: holder {@code ""}, lease duration zero, no times, no
   * transitions, priority {@code 0}, no preferred holder and no version.
   *
   * @since 0.2.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this record's fields, to build a copy with some of them changed.
   *
   * @since 0.2.0
   */
  public Builder toBuilder() {
    return new Builder()
        .holderIdentity(holderIdentity)
        .leaseDuration(leaseDuration)
        .acquireTime(acquireTime)
        .renewTime(renewTime)
        .leaseTransitions(leaseTransitions)
        .holderPriority(holderPriority)
        .preferredHolder(preferredHolder)
        .version(version);
  }

  /** The identity of the holder, or {@code ""} when the lease is released. */
  public String holderIdentity() {
    return holderIdentity;
  }

  /** How long others wait, after observing the last change, before taking over. */
  public Duration leaseDuration() {
    return leaseDuration;
  }

  /** When the current holder acquired the lease, if known. */
  public @Nullable Instant acquireTime() {
    return acquireTime;
  }

  /** When the current holder last renewed the lease, if known. */
  public @Nullable Instant renewTime() {
    return renewTime;
  }

  /** How many terms have begun; the fencing token of the current term. */
  public int leaseTransitions() {
    return leaseTransitions;
  }

  /** The preemption priority of the holder ({@code 0} when not used). */
  public int holderPriority() {
    return holderPriority;
  }

  /** A candidate of higher priority that asked the holder to yield, if any. */
  public @Nullable PreferredHolder preferredHolder() {
    return preferredHolder;
  }

  /**
   * The store's version of this record (a resourceVersion), {@code null} before it is stored;
   * updates are accepted only against the latest version.
   */
  public @Nullable String version() {
    return version;
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
    return toBuilder().version(newVersion).build();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return this == other || (other instanceof LeaderRecord that
        && holderIdentity.equals(that.holderIdentity)
        && leaseDuration.equals(that.leaseDuration)
        && Objects.equals(acquireTime, that.acquireTime)
        && Objects.equals(renewTime, that.renewTime)
        && leaseTransitions == that.leaseTransitions
        && holderPriority == that.holderPriority
        && Objects.equals(preferredHolder, that.preferredHolder)
        && Objects.equals(version, that.version));
  }

  @Override
  public int hashCode() {
    return Objects.hash(holderIdentity, leaseDuration, acquireTime, renewTime, leaseTransitions,
        holderPriority, preferredHolder, version);
  }

  /** As a record shows itself: {@code LeaderRecord[holderIdentity=a, leaseDuration=PT15S, ...]}. */
  @Override
  public String toString() {
    return "LeaderRecord[holderIdentity=" + holderIdentity
        + ", leaseDuration=" + leaseDuration
        + ", acquireTime=" + acquireTime
        + ", renewTime=" + renewTime
        + ", leaseTransitions=" + leaseTransitions
        + ", holderPriority=" + holderPriority
        + ", preferredHolder=" + preferredHolder
        + ", version=" + version + "]";
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

  /**
   * Builds a {@link LeaderRecord}; each setter names the field it sets (see the record's
   * accessors), and {@link #build()} validates them. Not thread-safe: one thread builds.
   *
   * @since 0.2.0
   */
  public static final class Builder {

    private String holderIdentity = "";
    private Duration leaseDuration = Duration.ZERO;
    private @Nullable Instant acquireTime;
    private @Nullable Instant renewTime;
    private int leaseTransitions;
    private int holderPriority;
    private @Nullable PreferredHolder preferredHolder;
    private @Nullable String version;

    private Builder() {
    }

    /** The identity of the holder; {@code ""} (the default) for a released lease. */
    public Builder holderIdentity(String holderIdentity) {
      this.holderIdentity = holderIdentity;
      return this;
    }

    /** How long others wait before taking over; {@link Duration#ZERO} by default. */
    public Builder leaseDuration(Duration leaseDuration) {
      this.leaseDuration = leaseDuration;
      return this;
    }

    /** When the current holder acquired the lease; {@code null} (unknown) by default. */
    public Builder acquireTime(@Nullable Instant acquireTime) {
      this.acquireTime = acquireTime;
      return this;
    }

    /** When the current holder last renewed the lease; {@code null} (unknown) by default. */
    public Builder renewTime(@Nullable Instant renewTime) {
      this.renewTime = renewTime;
      return this;
    }

    /** How many terms have begun, the fencing token; {@code 0} by default. */
    public Builder leaseTransitions(int leaseTransitions) {
      this.leaseTransitions = leaseTransitions;
      return this;
    }

    /** The preemption priority of the holder; {@code 0} (not used) by default. */
    public Builder holderPriority(int holderPriority) {
      this.holderPriority = holderPriority;
      return this;
    }

    /** A candidate that asked the holder to yield; {@code null} (none) by default. */
    public Builder preferredHolder(@Nullable PreferredHolder preferredHolder) {
      this.preferredHolder = preferredHolder;
      return this;
    }

    /** The store's version of the record; {@code null} (not stored) by default. */
    public Builder version(@Nullable String version) {
      this.version = version;
      return this;
    }

    /**
     * The record.
     *
     * @throws NullPointerException when the holder identity or the lease duration is null
     * @throws IllegalArgumentException when the lease duration or the transitions are negative
     */
    public LeaderRecord build() {
      Objects.requireNonNull(holderIdentity, "holderIdentity");
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      if (leaseDuration.isNegative()) {
        throw new IllegalArgumentException("leaseDuration must not be negative: " + leaseDuration);
      }
      if (leaseTransitions < 0) {
        throw new IllegalArgumentException(
            "leaseTransitions must not be negative: " + leaseTransitions);
      }
      return new LeaderRecord(this);
    }
  }
}
