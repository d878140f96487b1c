package dev.leaderelection;

import dev.leaderelection.InvalidTimingsException.Rule;
import dev.leaderelection.internal.election.ElectionConfig;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How long a lease lasts, how long a leader keeps trying to renew it, and how often candidates
 * retry.
 *
 * <p>Validated on construction: {@code leaseDuration > renewDeadline > 1.2 × retryPeriod > 0},
 * and {@code leaseDuration} is a whole number of seconds because that is how a Lease stores it.
 * Because {@code renewDeadline < leaseDuration}, a leader that cannot renew stops leading before
 * any other candidate may take over.
 *
 * @param leaseDuration how long followers wait, from the moment they observed the last change of
 *     the record, before they may take over
 * @param renewDeadline how long after its last successful renew a leader stops leading
 * @param retryPeriod the interval between attempts to acquire or renew
 *
 * @since 0.1.0
 */
public record LeaseTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

  private static final Duration MAX_LEASE_DURATION = Duration.ofSeconds(Integer.MAX_VALUE);

  /** The defaults: 15s lease duration, 10s renew deadline, 2s retry period (as client-go). */
  public static final LeaseTimings DEFAULTS =
      new LeaseTimings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

  /**
   * Creates and validates timings.
   *
   * @throws InvalidTimingsException naming the field, its value and the rule it breaks
   */
  public LeaseTimings {
    require(leaseDuration, "leaseDuration");
    require(renewDeadline, "renewDeadline");
    require(retryPeriod, "retryPeriod");
    check(!retryPeriod.isNegative() && !retryPeriod.isZero(), "retryPeriod", retryPeriod,
        Rule.NOT_POSITIVE, null);
    check(leaseDuration.getNano() == 0, "leaseDuration", leaseDuration, Rule.NOT_WHOLE_SECONDS,
        null);
    check(leaseDuration.compareTo(MAX_LEASE_DURATION) <= 0, "leaseDuration", leaseDuration,
        Rule.TOO_LONG, MAX_LEASE_DURATION);
    // Before anything computes with them: 1.2 × a retry period of centuries overflows.
    check(renewDeadline.compareTo(MAX_LEASE_DURATION) <= 0, "renewDeadline", renewDeadline,
        Rule.TOO_LONG, MAX_LEASE_DURATION);
    check(retryPeriod.compareTo(MAX_LEASE_DURATION) <= 0, "retryPeriod", retryPeriod,
        Rule.TOO_LONG, MAX_LEASE_DURATION);
    check(leaseDuration.compareTo(renewDeadline) > 0, "leaseDuration", leaseDuration,
        Rule.NOT_ABOVE_RENEW_DEADLINE, renewDeadline);
    Duration jitteredRetry = jittered(retryPeriod);
    check(renewDeadline.compareTo(jitteredRetry) > 0, "renewDeadline", renewDeadline,
        Rule.NOT_ABOVE_JITTERED_RETRY_PERIOD, jitteredRetry);
  }

  /** Returns timings with the given values, validated as the canonical constructor does. */
  public static LeaseTimings of(Duration leaseDuration, Duration renewDeadline,
      Duration retryPeriod) {
    return new LeaseTimings(leaseDuration, renewDeadline, retryPeriod);
  }

  static Duration jittered(Duration period) {
    return Duration.ofNanos(Math.round(period.toNanos() * ElectionConfig.JITTER_FACTOR));
  }

  private static void require(Duration value, String field) {
    if (value == null) {
      throw new InvalidTimingsException(field, null, Rule.MISSING, null);
    }
  }

  private static void check(boolean holds, String field, Duration value, Rule rule,
      @Nullable Duration bound) {
    if (!holds) {
      throw new InvalidTimingsException(field, value, rule, bound);
    }
  }
}
