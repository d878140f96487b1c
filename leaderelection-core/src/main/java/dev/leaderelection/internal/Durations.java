package dev.leaderelection.internal;

import java.time.Duration;

/**
 * Writes durations as users write them in configuration: {@code 15s} or {@code 250ms} when
 * exact, else in ISO-8601 ({@code PT15.0001S}); every form is one Spring Boot reads back. Used
 * by every message of this library that names a duration.
 *
 * @since 0.1.0
 */
public final class Durations {

  private Durations() {
  }

  /**
   * {@code duration} in whole seconds or milliseconds when exact, else in ISO-8601; never
   * overflows, whatever the duration.
   */
  public static String format(Duration duration) {
    if (duration.getNano() == 0) {
      return duration.getSeconds() + "s";
    }
    if (duration.getNano() % 1_000_000 == 0) {
      try {
        return duration.toMillis() + "ms";
      } catch (ArithmeticException beyondLongMillis) {
        return duration.toString();
      }
    }
    return duration.toString();
  }

  /** @throws IllegalArgumentException naming {@code name} when {@code duration} is negative */
  public static Duration requireNotNegative(String name, Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(name + " is " + format(duration)
          + "; it must not be negative");
    }
    return duration;
  }
}
