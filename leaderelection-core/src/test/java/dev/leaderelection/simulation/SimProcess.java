package dev.leaderelection.simulation;

import dev.leaderelection.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of one simulated process: its monotonic clock (running at its own rate), its wall
 * clock, and its tasks on the world's loop. A crashed process never runs a task again; a frozen
 * one (SIGSTOP) runs none until thawed, then runs the tasks that fell due meanwhile, in order.
 */
final class SimProcess {

  private static final long PPM = 1_000_000L;
  private static final long LONGEST_DELAY = 1_000_000_000_000L; // 1000 s: past any run's end

  private final String name;
  private final World world;
  private final long ratePpm;
  private final long tickerBase;
  private final Instant wallBase;
  private final List<ProcessExecutor.Task> deferred = new ArrayList<>();
  private final ProcessExecutor executor;
  private boolean crashed;
  private boolean frozen;
  private int pending;

  /**
   * @param ratePpm how fast its clocks run, in millionths of true time
   * @param tickerBase its monotonic clock's reading at time 0
   * @param wallBase its wall clock's reading at time 0
   */
  SimProcess(String name, World world, long ratePpm, long tickerBase, Instant wallBase) {
    this.name = name;
    this.world = world;
    this.ratePpm = ratePpm;
    this.tickerBase = tickerBase;
    this.wallBase = wallBase;
    this.executor = new ProcessExecutor(this, world);
  }

  String name() {
    return name;
  }

  /** The scheduler and executor of everything in this process. */
  ProcessExecutor executor() {
    return executor;
  }

  /** Its monotonic clock now. */
  long read() {
    return tickerBase + world.now() * ratePpm / PPM;
  }

  Ticker ticker() {
    return this::read;
  }

  /** Its wall clock, running at its rate like its monotonic clock. */
  Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return wallBase.plusNanos(read() - tickerBase);
      }
    };
  }

  /** The true time that {@code processNanos} take on this process's clock (rounded up). */
  long trueNanos(long processNanos) {
    long nanos = Math.min(Math.max(0, processNanos), LONGEST_DELAY);
    return (nanos * PPM + ratePpm - 1) / ratePpm;
  }

  long ratePpm() {
    return ratePpm;
  }

  boolean crashed() {
    return crashed;
  }

  boolean frozen() {
    return frozen;
  }

  /** Tasks scheduled and neither run nor cancelled, those held while frozen included. */
  int pendingTasks() {
    return pending;
  }

  void crash() {
    crashed = true;
    deferred.clear();
  }

  void freeze() {
    frozen = true;
  }

  /** Thaws: the tasks that fell due while frozen run now, in the order they fell due. */
  void thaw() {
    frozen = false;
    for (ProcessExecutor.Task task : deferred) {
      world.enqueue(task, world.now());
    }
    deferred.clear();
  }

  // ---- for ProcessExecutor

  void scheduled() {
    pending++;
  }

  void finished() {
    pending--;
  }

  /** Whether a task due now runs: not when crashed (dropped) or frozen (held until thawed). */
  boolean admit(ProcessExecutor.Task task) {
    if (crashed) {
      return false;
    }
    if (frozen) {
      deferred.add(task);
      return false;
    }
    return true;
  }

  @Override
  public String toString() {
    return name;
  }
}
