package dev.leaderelection.benchmarks;

import java.time.Duration;
import java.util.Locale;

/**
 * Requests per minute counted over a window, and whether that is a figure at all: one request
 * more or less moves a rate over a window {@code w} by {@code 60 s / w} per minute, so a window
 * shorter than {@link #SHORTEST_TRUSTED_WINDOW} (quick mode's 10 s: 6 per minute, as much as a
 * jetcd leader's whole keep-alive traffic) cannot resolve the figures the report compares, and a
 * negative rate (a baseline that counted more than the measurement) is noise by definition.
 * Such a rate is kept, marked, and never compared.
 *
 * @param perMinute the requests per minute counted
 * @param window the shortest window that went into it (a difference keeps the shorter one)
 */
record RequestRate(double perMinute, Duration window) {

  /** Resolves one request in a window to 2 per minute, a tenth of the leaders' usual rates. */
  static final Duration SHORTEST_TRUSTED_WINDOW = Duration.ofSeconds(30);

  /** The rate of {@code requests} counted over {@code window}. */
  static RequestRate of(double requests, Duration window) {
    return new RequestRate(requests / (window.toNanos() / 60e9), window);
  }

  /** Whether this rate is a figure: counted over a long enough window, and not negative. */
  boolean trusted() {
    return !Double.isNaN(perMinute) && perMinute >= 0
        && window.compareTo(SHORTEST_TRUSTED_WINDOW) >= 0;
  }

  /**
   * This rate less {@code other} (a baseline), over the shorter of the two windows. Equal rates
   * give exactly 0: two sums of the same counts over different spans differ in the last bits
   * ({@code 30.0 - 30.000000000000004}), which is no negative rate.
   */
  RequestRate minus(RequestRate other) {
    double difference = perMinute - other.perMinute;
    boolean equal = Math.abs(difference) <= 1e-9 * Math.max(1, Math.abs(perMinute));
    return new RequestRate(equal ? 0 : difference, shorter(other));
  }

  /** This rate shared by {@code count} candidates, over the same window. */
  RequestRate dividedBy(int count) {
    return new RequestRate(perMinute / count, window);
  }

  /** This rate and {@code other} together, over the shorter of the two windows. */
  RequestRate plus(RequestRate other) {
    return new RequestRate(perMinute + other.perMinute, shorter(other));
  }

  /**
   * The figure ({@code 30.0}), or, when it is none, what was counted and why it is no figure
   * ({@code not a figure (-6.0 over a 10 s window)}).
   */
  String text() {
    String counted = String.format(Locale.ROOT, "%.1f", perMinute);
    return trusted() ? counted : "not a figure (" + counted + " over a " + window.toSeconds()
        + " s window)";
  }

  private Duration shorter(RequestRate other) {
    return window.compareTo(other.window) <= 0 ? window : other.window;
  }
}
