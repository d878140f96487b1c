package dev.leaderelection.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A single-"thread" scheduler whose tasks run on the test's thread when the test says so, with
 * its own clock: {@link #runDue()} runs what is due now, {@link #advance} moves time. No sleeping.
 */
final class ManualExecutor extends AbstractExecutorService implements ScheduledExecutorService {

  private final PriorityQueue<Task> queue = new PriorityQueue<>(
      Comparator.comparingLong((Task task) -> task.dueNanos).thenComparingLong(task -> task.order));
  private long nowNanos;
  private long sequence;
  private boolean shutdown;

  long nanoTime() {
    return nowNanos;
  }

  /** Runs every task due now, including those they submit for now. */
  void runDue() {
    advance(Duration.ZERO);
  }

  /** Moves time forward, running each task at its due instant. */
  void advance(Duration duration) {
    long target = nowNanos + duration.toNanos();
    Task next;
    while ((next = queue.peek()) != null && next.dueNanos <= target) {
      queue.poll();
      nowNanos = Math.max(nowNanos, next.dueNanos);
      next.run();
    }
    nowNanos = target;
  }

  /** How long until the next task is due, or null when none is queued. */
  Duration untilNext() {
    Task next = queue.peek();
    return next == null ? null : Duration.ofNanos(next.dueNanos - nowNanos);
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    if (shutdown) {
      throw new RejectedExecutionException("shut down");
    }
    Task task = new Task(command, nowNanos + unit.toNanos(delay), sequence++);
    queue.add(task);
    return task;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
      long period, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
      long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> pending = new ArrayList<>(queue);
    queue.clear();
    return pending;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  private final class Task implements ScheduledFuture<Object>, Runnable {

    private final Runnable command;
    private final long dueNanos;
    private final long order;
    private boolean cancelled;

    Task(Runnable command, long dueNanos, long order) {
      this.command = command;
      this.dueNanos = dueNanos;
      this.order = order;
    }

    @Override
    public void run() {
      if (!cancelled) {
        command.run();
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - nowNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      cancelled = true;
      return queue.remove(this);
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled || !queue.contains(this);
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }
}
