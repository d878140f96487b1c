package dev.leaderelection.spring.autoconfigure.endpoint;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationStyle;

/**
 * The rules of the yield body's {@code for}: read as the starter's duration properties are (a
 * bare number means seconds), not negative, at most {@link LeaderElector#MAX_YIELD_BACK_OFF}, and
 * raised to at least twice the retry period, so that the others, which look again within 1.2
 * retry periods when they do not watch the lock, take the released lease before the yielder
 * competes again.
 */
final class YieldBackOff {

  static final String FORMAT =
      "must be a duration such as 30s, 500ms or PT1M; a bare number means seconds";
  static final String NEGATIVE = "must not be negative";
  static final String TOO_LONG =
      "must be at most " + LeaderElector.MAX_YIELD_BACK_OFF.toDays() + "d";
  static final int LEAST_RETRY_PERIODS = 2;

  private YieldBackOff() {
  }

  /**
   * The back-off {@code given} asks for.
   *
   * @throws IllegalArgumentException with the rule {@code given} breaks as its message
   */
  static Duration parse(String given) {
    Duration backOff;
    try {
      backOff = DurationStyle.detectAndParse(given, ChronoUnit.SECONDS);
    } catch (RuntimeException malformed) {
      throw new IllegalArgumentException(FORMAT, malformed);
    }
    if (backOff.isNegative()) {
      throw new IllegalArgumentException(NEGATIVE);
    }
    if (backOff.compareTo(LeaderElector.MAX_YIELD_BACK_OFF) > 0) {
      throw new IllegalArgumentException(TOO_LONG);
    }
    return backOff;
  }

  /** The least back-off of an election with {@code timings}: twice its retry period. */
  static Duration least(LeaseTimings timings) {
    return timings.retryPeriod().multipliedBy(LEAST_RETRY_PERIODS);
  }
}
