package dev.leaderelection;

import java.time.Duration;

/**
 * Writes durations as users write them in configuration: {@code 15s} or {@code 250ms} when
 * exact, else in nanoseconds ({@code 1500ns}); every form is one Spring Boot and this library
 * read back. Used by every message of this library that names a duration.
 *
 * @since 0.1.0
 */
public final class Durations {

  private Durations() {
  }

  /** {@code duration} in the largest of seconds, milliseconds or nanoseconds that is exact. */
  public static String format(Duration duration) {
    long nanos = duration.toNanos();
    if (nanos % 1_000_000_000L == 0) {
      return duration.toSeconds() + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return duration.toMillis() + "ms";
    }
    return nanos + "ns";
  }
}
