package dev.leaderelection;

import dev.leaderelection.testing.OneShotScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler and executor that runs tasks on the calling thread when the test moves time with
 * {@link #advance(Duration)}. Tasks due at the same instant run in the order they were scheduled.
 * After every task, the registered invariant is checked, so "at no instant" assertions hold.
 * For tests, in the core's and the lock modules'. {@link #executingAtOnce} makes one that runs
 * {@code execute}d tasks at once instead, as code on an executor's own thread sees it.
 */
public final class ManualScheduler extends OneShotScheduler {

  private static final int MAX_TASKS_PER_INSTANT = 1000;

  private final FakeTicker ticker;
  private final PriorityQueue<Task> queue = new PriorityQueue<>(
      Comparator.comparingLong((Task task) -> task.dueNanos).thenComparingLong(task -> task.order));
  private final List<Runnable> invariants = new ArrayList<>();
  private final boolean executesAtOnce;
  private long sequence;
  private boolean shutdown;

  public ManualScheduler(FakeTicker ticker) {
    this(ticker, false);
  }

  private ManualScheduler(FakeTicker ticker, boolean executesAtOnce) {
    this.ticker = ticker;
    this.executesAtOnce = executesAtOnce;
  }

  /**
   * A scheduler that runs {@code execute}d tasks at once on the caller's thread (scheduled ones
   * still when time reaches them) and, as a real executor does, refuses tasks once shut down and
   * drops those pending on {@link #shutdownNow()}.
   */
  public static ManualScheduler executingAtOnce(FakeTicker ticker) {
    return new ManualScheduler(ticker, true);
  }

  /** Runs {@code check} after every task. */
  public void checkAfterEveryTask(Runnable check) {
    invariants.add(check);
  }

  /** Runs every task that is due now, including tasks they submit for now. */
  public void runDue() {
    advanceTo(ticker.read());
  }

  /** Moves time forward, running each task at its due instant. */
  public void advance(Duration duration) {
    advanceTo(ticker.read() + duration.toNanos());
  }

  public void advanceTo(long targetNanos) {
    long instant = -1;
    int tasksAtInstant = 0;
    while (true) {
      Task next = queue.peek();
      if (next == null || next.dueNanos > targetNanos) {
        break;
      }
      queue.poll();
      ticker.advanceTo(next.dueNanos);
      tasksAtInstant = ticker.read() == instant ? tasksAtInstant + 1 : 0;
      instant = ticker.read();
      if (tasksAtInstant > MAX_TASKS_PER_INSTANT) {
        throw new AssertionError("livelock: more than " + MAX_TASKS_PER_INSTANT
            + " tasks ran at " + ticker.elapsed() + " without time moving");
      }
      if (!next.cancelled) {
        next.runnable.run();
        invariants.forEach(Runnable::run);
      }
    }
    ticker.advanceTo(targetNanos);
  }

  /** How long until the next task is due, or null when none is scheduled. */
  public Duration untilNext() {
    Task next = queue.stream().filter(task -> !task.cancelled)
        .min(Comparator.comparingLong((Task task) -> task.dueNanos)).orElse(null);
    return next == null ? null : Duration.ofNanos(next.dueNanos - ticker.read());
  }

  public int pendingTasks() {
    return (int) queue.stream().filter(task -> !task.cancelled).count();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    refuseOnceShutDown();
    Task task = new Task(command, ticker.read() + Math.max(0, unit.toNanos(delay)), sequence++);
    queue.add(task);
    return task;
  }

  @Override
  public void execute(Runnable command) {
    if (!executesAtOnce) {
      schedule(command, 0, TimeUnit.NANOSECONDS);
      return;
    }
    refuseOnceShutDown();
    command.run();
    invariants.forEach(Runnable::run);
  }

  private void refuseOnceShutDown() {
    if (executesAtOnce && shutdown) {
      throw new RejectedExecutionException("shut down");
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    if (!executesAtOnce) {
      return List.of();
    }
    List<Runnable> dropped = new ArrayList<>();
    for (Task task = queue.poll(); task != null; task = queue.poll()) {
      if (!task.cancelled) {
        task.cancelled = true;
        dropped.add(task.runnable);
      }
    }
    return dropped;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }

  private final class Task implements OneShotScheduler.Task {

    final Runnable runnable;
    final long dueNanos;
    final long order;
    boolean cancelled;

    Task(Runnable runnable, long dueNanos, long order) {
      this.runnable = runnable;
      this.dueNanos = dueNanos;
      this.order = order;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - ticker.read(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled || ticker.read() >= dueNanos;
    }
  }
}
