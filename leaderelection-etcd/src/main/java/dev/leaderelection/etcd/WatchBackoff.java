package dev.leaderelection.etcd;

import java.time.Duration;

/**
 * How long a broken watch waits before it connects again: 1 second, doubling with every failure
 * up to 30 seconds, and starting over once a watch stayed up for 30 seconds (the Kubernetes
 * locks' rule). Pure: times are passed in. Not thread-safe: one watch's thread uses it.
 */
final class WatchBackoff {

  static final Duration INITIAL = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofSeconds(30);

  private int failures;
  private boolean up;
  private long upSinceNanos;

  /** The watch connected at {@code nowNanos}. */
  void connected(long nowNanos) {
    up = true;
    upSinceNanos = nowNanos;
  }

  /** The watch failed at {@code nowNanos}; returns how long to wait before connecting again. */
  long failedNanos(long nowNanos) {
    if (up && nowNanos - upSinceNanos >= MAX.toNanos()) {
      failures = 0;
    }
    up = false;
    long delay = Math.min(INITIAL.toNanos() << Math.min(failures, 20), MAX.toNanos());
    failures++;
    return delay;
  }
}
