package dev.leaderelection.internal.election;

import dev.leaderelection.Ticker;
import java.time.Duration;

/** Lets a log message through at most once per interval of a ticker. Thread-safe. */
final class LogThrottle {

  private final Ticker ticker;
  private final long intervalNanos;
  private boolean allowedBefore;
  private long allowedAtNanos;

  LogThrottle(Ticker ticker, Duration interval) {
    this.ticker = ticker;
    this.intervalNanos = interval.toNanos();
  }

  /** Whether the message may be logged now; if so, the next may only after the interval. */
  synchronized boolean allow() {
    long now = ticker.read();
    if (allowedBefore && now - allowedAtNanos < intervalNanos) {
      return false;
    }
    allowedBefore = true;
    allowedAtNanos = now;
    return true;
  }
}
