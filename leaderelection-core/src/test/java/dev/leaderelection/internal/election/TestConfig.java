package dev.leaderelection.internal.election;

import dev.leaderelection.FakeTicker;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.ManualScheduler;
import dev.leaderelection.spi.LeaseLock;
import java.util.concurrent.Executor;

/** An election's configuration for unit tests of its parts: identity "me", default timings. */
final class TestConfig {

  private TestConfig() {
  }

  static ElectionConfig of(LeaseLock lock, FakeTicker ticker, ManualScheduler scheduler,
      Executor executor) {
    return new ElectionConfig(lock, "me", LeaseTimings.DEFAULTS, 5, null, true, ticker,
        ticker.clock(), scheduler, executor, Runnable::run, () -> 0);
  }
}
