package dev.leaderelection;

import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Electors on one {@link RecordingLock}, driven by a fake ticker and a manual scheduler: nothing
 * sleeps and every run is the same. Lock calls and callbacks go through {@link HoldingExecutor}s
 * so a test can make a call hang or a listener stall.
 */
final class ElectionHarness {

  static final LeaseTimings TIMINGS = LeaseTimings.DEFAULTS;

  final FakeTicker ticker = new FakeTicker();
  final ManualScheduler scheduler = new ManualScheduler(ticker);
  final RecordingLock lock = new RecordingLock();
  final HoldingExecutor executor = new HoldingExecutor(scheduler);
  final HoldingExecutor callbacks = new HoldingExecutor(scheduler);
  final Map<String, RecordingListener> listeners = new LinkedHashMap<>();
  UnaryOperator<LeaderElector.Builder> configure = UnaryOperator.identity();
  /** The lock electors are built on: {@link #lock}, unless a test wraps it. */
  LeaseLock electorsLock = lock;

  /** Builds an elector with no jitter, so retries come exactly every retry period. */
  LeaderElector elector(String identity) {
    RecordingListener listener = new RecordingListener();
    listeners.put(identity, listener);
    LeaderElector.Builder builder = LeaderElector.builder(electorsLock, identity)
        .timings(TIMINGS)
        .ticker(ticker)
        .clock(ticker.clock())
        .scheduler(scheduler)
        .executor(executor)
        .callbackExecutor(callbacks)
        .jitter(() -> 0)
        .listener(listener);
    return configure.apply(builder).build();
  }

  LeaderElector started(String identity) {
    LeaderElector elector = elector(identity);
    elector.start();
    scheduler.runDue();
    return elector;
  }

  RecordingListener listener(String identity) {
    return listeners.get(identity);
  }

  void advance(Duration duration) {
    scheduler.advance(duration);
  }

  /** A record as another client would write it: held by {@code holder}, renewed just now. */
  LeaderRecord heldBy(String holder, int transitions) {
    return heldBy(holder, transitions, TIMINGS.leaseDuration());
  }

  LeaderRecord heldBy(String holder, int transitions, Duration leaseDuration) {
    Instant now = ticker.clock().instant();
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(leaseDuration)
        .acquireTime(now).renewTime(now).leaseTransitions(transitions).build();
  }

  /** Another leader renewing its lease, as client-go would. */
  void renewExternally(String holder) {
    LeaderRecord current = lock.current();
    lock.putExternally(LeaderRecord.builder().holderIdentity(holder)
        .leaseDuration(current.leaseDuration()).acquireTime(current.acquireTime())
        .renewTime(ticker.clock().instant()).leaseTransitions(current.leaseTransitions()).build());
  }
}
