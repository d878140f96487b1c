package dev.leaderelection.testing;

import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A test scheduler that runs one-shot {@code Runnable}s, all the election schedules: the
 * {@code Callable} and periodic forms are refused. Subclasses decide when tasks run and what
 * shutting down means.
 */
public abstract class OneShotScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {

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

  /** A one-shot task's future: ordered by delay; nobody waits on it ({@code get} is refused). */
  public interface Task extends ScheduledFuture<Object> {

    @Override
    default int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    default Object get() {
      throw new UnsupportedOperationException();
    }

    @Override
    default Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }
}
