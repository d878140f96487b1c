package dev.leaderelection;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.DoubleSupplier;

/** Everything an election loop needs, resolved and validated by {@link LeaderElector.Builder}. */
record ElectionConfig(
    LeaseLock lock,
    String identity,
    LeaseTimings timings,
    int priority,
    boolean releaseOnClose,
    Ticker ticker,
    Clock clock,
    ScheduledExecutorService scheduler,
    Executor executor,
    Executor callbackExecutor,
    DoubleSupplier jitter) {

  long leaseDurationNanos() {
    return timings.leaseDuration().toNanos();
  }

  long renewDeadlineNanos() {
    return timings.renewDeadline().toNanos();
  }

  long retryPeriodNanos() {
    return timings.retryPeriod().toNanos();
  }

  /** The retry period stretched by a random factor in [1, 1.2), so candidates do not collide. */
  long jitteredRetryNanos() {
    double factor = 1 + (LeaseTimings.JITTER_FACTOR - 1) * jitter.getAsDouble();
    return Math.round(retryPeriodNanos() * factor);
  }
}
