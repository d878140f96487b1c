package dev.leaderelection.internal.election;

import dev.leaderelection.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns, at most once a minute, when an election's rounds wait for a lock-call thread for a
 * quarter of the renew deadline or more: the threads it shares are too few for the elections
 * and the API server's speed, and a leader risks missing its renew deadline. Thread-safe.
 */
final class QueueDelayLog {

  private static final Logger log = LoggerFactory.getLogger(QueueDelayLog.class);

  private final String lock;
  private final long thresholdNanos;
  private final LogThrottle throttle;

  QueueDelayLog(String lock, Duration renewDeadline, Ticker ticker) {
    this.lock = lock;
    this.thresholdNanos = renewDeadline.toNanos() / 4;
    this.throttle = new LogThrottle(ticker, Duration.ofMinutes(1));
  }

  /** A round waited {@code nanos} between being due and starting on a thread. */
  void waited(long nanos) {
    if (nanos < thresholdNanos || !throttle.allow()) {
      return;
    }
    log.warn("A round of the election for {} waited {} ms for a lock-call thread, a quarter of "
        + "its renew deadline or more: the API server is slow or the threads are shared by too "
        + "many elections. Give the electors more lock-call threads.", lock,
        TimeUnit.NANOSECONDS.toMillis(nanos));
  }
}
