package dev.leaderelection.simulation;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.StepDownReason;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One elector in one process, and what the simulator knows of it: whether it was started, closed
 * or told to yield, its listener (which reports transitions to the {@link Checker} and runs leader
 * work that writes to the fenced resource while its term is active), and a callback executor that
 * delivers notifications one at a time after a random delay, as a slow listener would.
 */
final class Node {

  private static final long WORK_PERIOD_NANOS = 200_000_000L;

  private final int slot;
  private final String identity;
  private final int priority;
  private final SimProcess process;
  private final NetworkLock lock;
  private final Checker checker;
  private final SplittableRandom random;
  private final long listenerLatency;
  private @Nullable LeaderElector elector;
  private boolean started;
  private boolean closeCalled;
  private boolean closeDone;
  private boolean resting;
  private long restUntil;
  private long lastCallbackDue;
  /** The checker's notes: the last term it saw begin, and the term a callback opened. */
  @Nullable LeaderContext lastTerm;
  @Nullable LeaderContext openCallback;
  boolean lastTermOver;

  Node(int slot, String identity, int priority, SimProcess process, NetworkLock lock,
      Checker checker, SplittableRandom random, long listenerLatency) {
    this.slot = slot;
    this.identity = identity;
    this.priority = priority;
    this.process = process;
    this.lock = lock;
    this.checker = checker;
    this.random = random;
    this.listenerLatency = listenerLatency;
  }

  void attach(LeaderElector built) {
    this.elector = built;
  }

  LeaderElector elector() {
    return elector;
  }

  int slot() {
    return slot;
  }

  String identity() {
    return identity;
  }

  int priority() {
    return priority;
  }

  SimProcess process() {
    return process;
  }

  NetworkLock lock() {
    return lock;
  }

  boolean started() {
    return started;
  }

  boolean closeCalled() {
    return closeCalled;
  }

  boolean closeDone() {
    return closeDone;
  }

  /** Whether it may act on an operator's call: alive, not frozen, started and not closed. */
  boolean operable() {
    return started && !closeCalled && !process.crashed() && !process.frozen();
  }

  /** Whether a yield's back-off still lasts, on its own clock. */
  boolean resting() {
    return resting && process.read() - restUntil < 0;
  }

  /** Whether it competes for the lease now: live, running, not paused, not resting. */
  boolean competing() {
    return operable() && !elector.isPaused() && !resting();
  }

  // ---- operations

  void start() {
    started = true;
    elector.start();
  }

  void close() {
    closeCalled = true;
    elector.closeAsync().whenComplete((ignored, failure) -> closeDone = true);
  }

  void pause() {
    elector.pause();
  }

  void resume() {
    resting = false;
    elector.resume();
  }

  /** Yields for {@code nanos}; a leader then rests that long (a follower's yield does nothing). */
  void yieldFor(long nanos) {
    long calledAt = process.read();
    CompletableFuture<Boolean> yielded = elector.yield(Duration.ofNanos(nanos))
        .toCompletableFuture();
    if (!(yielded.isDone() && !yielded.join())) {
      resting = true;
      restUntil = calledAt + nanos;
    }
  }

  /** Called by the lock as it sends a call. */
  void sending() {
    checker.sent(this);
  }

  // ---- the application

  /** Runs each notification after a random delay up to the listener latency, in order. */
  Executor callbacks() {
    return task -> {
      long delay = listenerLatency == 0 ? 0 : random.nextLong(listenerLatency + 1);
      long due = Math.max(checker.now() + delay, lastCallbackDue);
      lastCallbackDue = due;
      process.executor().at(due, task);
    };
  }

  LeadershipListener listener() {
    return new LeadershipListener() {
      @Override
      public void onStartedLeading(LeaderContext context) {
        checker.started(Node.this, context);
        work(context);
      }

      @Override
      public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
        checker.stopped(Node.this, context, reason);
      }
    };
  }

  /** Leader work: writes the term's token to the fenced resource while the term is active. */
  private void work(LeaderContext context) {
    if (context.isActive()) {
      checker.fencedWrite(this, context);
      process.executor().schedule(() -> work(context), WORK_PERIOD_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public String toString() {
    return identity + (process.crashed() ? " (crashed)" : "");
  }
}
