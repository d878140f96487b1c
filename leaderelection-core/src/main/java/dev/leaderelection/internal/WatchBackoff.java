package dev.leaderelection.internal;

import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;

/**
 * How long a broken watch waits before it connects again, for {@link LeaseLock} implementations
 * whose watch keeps itself up: 1 second, doubling with every failure up to 30 seconds, and
 * starting over once a watch stayed up for 30 seconds. Pure: times are passed in. Not
 * thread-safe: one watch's thread uses it.
 *
 * @since 0.2.0
 */
public final class WatchBackoff {

  /** The wait after the first failure. */
  public static final Duration INITIAL = Duration.ofSeconds(1);

  /** The longest wait, and how long a watch must stay up for the waits to start over. */
  public static final Duration MAX = Duration.ofSeconds(30);

  private int failures;
  private boolean up;
  private long upSinceNanos;

  /** The watch connected at {@code nowNanos}. */
  public void connected(long nowNanos) {
    up = true;
    upSinceNanos = nowNanos;
  }

  /** The watch failed at {@code nowNanos}; returns how long to wait before connecting again. */
  public long failedNanos(long nowNanos) {
    if (up && nowNanos - upSinceNanos >= MAX.toNanos()) {
      failures = 0;
    }
    up = false;
    long delay = Math.min(INITIAL.toNanos() << Math.min(failures, 20), MAX.toNanos());
    failures++;
    return delay;
  }
}
