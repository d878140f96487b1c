package dev.leaderelection;

import java.time.Duration;

/** Formats durations the way users write them in configuration ({@code 15s}, {@code 250ms}). */
final class Durations {

  private Durations() {
  }

  static String format(Duration duration) {
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
