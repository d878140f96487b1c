package dev.leaderelection;

import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;
import java.time.Instant;

/**
 * The core's {@link FakeTicker} and {@link ManualScheduler} (package-private in its test jar),
 * opened to the starter's tests: electors whose rounds, lock calls and listeners run only when
 * the test moves time, on the test's thread, so nothing sleeps.
 */
public final class ManualElections {

  private final FakeTicker ticker = new FakeTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);

  /** A builder for an elector on this manual time, without retry jitter. */
  public LeaderElector.Builder builder(LeaseLock lock, String identity) {
    return LeaderElector.builder(lock, identity)
        .ticker(ticker)
        .clock(ticker.clock())
        .scheduler(scheduler)
        .executor(scheduler)
        .callbackExecutor(scheduler)
        .jitter(() -> 0);
  }

  /** Starts the elector and runs its first round. */
  public LeaderElector start(LeaderElector.Builder builder) {
    LeaderElector elector = builder.build();
    elector.start();
    scheduler.runDue();
    return elector;
  }

  /** Moves time forward, running every round, call and callback that falls due. */
  public void advance(Duration duration) {
    scheduler.advance(duration);
  }

  /** Moves the ticker alone, running nothing: an election loop that is stuck. */
  public void stall(Duration duration) {
    ticker.advance(duration);
  }

  /** The wall clock of this manual time. */
  public Instant now() {
    return ticker.clock().instant();
  }
}
