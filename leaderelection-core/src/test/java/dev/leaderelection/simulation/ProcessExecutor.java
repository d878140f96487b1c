package dev.leaderelection.simulation;

import dev.leaderelection.testing.OneShotScheduler;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process's scheduler and executor on the world's loop: delays are read on the process's own
 * clock, and tasks run only while the process lives and is not frozen. Never shuts down (the
 * elector does not own it). A task that throws ends the run as a violation: real executors would
 * swallow what the election never expects to throw.
 */
final class ProcessExecutor extends OneShotScheduler {

  private final SimProcess process;
  private final World world;

  ProcessExecutor(SimProcess process, World world) {
    this.process = process;
    this.world = world;
  }

  /** Runs {@code command} at true time {@code time} (now if earlier). */
  Task at(long time, Runnable command) {
    process.scheduled();
    return world.enqueue(new Task(command), time);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return at(world.now() + process.trueNanos(unit.toNanos(delay)), command);
  }

  @Override
  public void execute(Runnable command) {
    at(world.now(), command);
  }

  @Override
  public void shutdown() {
  }

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }

  /** One task of the process. */
  final class Task extends World.Event implements OneShotScheduler.Task {

    private final Runnable command;
    private boolean ran;

    Task(Runnable command) {
      this.command = command;
    }

    @Override
    void fire() {
      if (!process.admit(this)) {
        return;
      }
      ran = true;
      process.finished();
      try {
        command.run();
      } catch (Violation violation) {
        throw violation;
      } catch (RuntimeException | AssertionError e) {
        throw new Violation("unexpected exception", process + " threw " + e);
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (!ran && !cancelled) {
        cancelled = true;
        process.finished();
      }
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return ran || cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(time - world.now(), TimeUnit.NANOSECONDS);
    }
  }
}
