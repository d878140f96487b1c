package dev.leaderelection.internal.election;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an election's rounds one at a time: each is timed on the scheduler and started on the
 * lock-call executor, so a hung lock call never blocks the scheduler; a round that waits for its
 * lock holds no thread, and has ended when its future completes. Of two scheduled rounds only the
 * earlier is kept; a round requested while one runs follows right after it. Whatever a round
 * throws or completes with, the next one is scheduled; a round that has not ended within
 * {@link #ROUND_LIMIT_DEADLINES} renew deadlines (an executor dropped one of its tasks) is given
 * up, loudly, and the next one is scheduled. Thread-safe.
 */
final class RoundScheduler {

  private static final Logger log = LoggerFactory.getLogger(RoundScheduler.class);

  /** One round of the election: it has ended when its future completes. */
  @FunctionalInterface
  interface Round {
    CompletableFuture<NextRound> run();
  }

  /**
   * How many renew deadlines a round may take before it is given up as lost: each of its at most
   * three lock calls (renew, read, write) is answered or fails within one renew deadline.
   */
  static final int ROUND_LIMIT_DEADLINES = 4;

  private final ElectionConfig config;
  private final String lock;
  private final Round round;
  private final QueueDelayLog queueDelays;
  private boolean started;
  private boolean closed;
  private @Nullable Future<?> next;
  private long nextDueNanos;
  private boolean inProgress;
  private long roundNumber;
  private @Nullable Future<?> roundLimit;
  private CompletableFuture<Void> roundEnded = CompletableFuture.completedFuture(null);
  private boolean requested;
  private boolean refusalLogged;
  private volatile long submittedNanos;

  RoundScheduler(ElectionConfig config, Round round) {
    this.config = config;
    this.lock = config.lock().describe();
    this.round = round;
    this.queueDelays = new QueueDelayLog(lock, config.timings().renewDeadline(), config.ticker());
  }

  /**
   * Runs {@code first}, then schedules the first round now.
   *
   * @throws IllegalStateException when already started or closed
   */
  void start(Runnable first) {
    synchronized (this) {
      if (started || closed) {
        throw new IllegalStateException("The elector for " + lock + " was already "
            + (closed ? "closed" : "started"));
      }
      started = true;
    }
    first.run();
    scheduleIn(0);
  }

  /**
   * Cancels the next round; a round in progress finishes, and no round follows.
   *
   * @return completes when the round in progress, if any, has ended
   */
  synchronized CompletableFuture<Void> close() {
    closed = true;
    cancel(next);
    return roundEnded;
  }

  /** Runs a round as soon as possible: now, or right after the one in progress. */
  synchronized void request() {
    if (closed || !started) {
      return;
    }
    if (inProgress) {
      requested = true;
      return;
    }
    scheduleIn(0);
  }

  /** Schedules a round in {@code delayNanos}, unless one is already due no later. */
  synchronized void scheduleIn(long delayNanos) {
    if (closed) {
      return;
    }
    long due = config.ticker().read() + delayNanos;
    if (next != null && !next.isDone() && nextDueNanos <= due) {
      return;
    }
    cancel(next);
    next = schedule(this::submit, delayNanos);
    nextDueNanos = due;
  }

  /**
   * Schedules any task of the election on its scheduler.
   *
   * @return the task, or null (logged) when the scheduler was shut down before the elector closed
   */
  @Nullable Future<?> schedule(Runnable task, long delayNanos) {
    try {
      return config.scheduler().schedule(task, delayNanos, NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.error("The scheduler of the elector for {} was shut down before the elector was "
          + "closed; the election stops", lock);
      return null;
    }
  }

  static void cancel(@Nullable Future<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  private void submit() {
    long number;
    synchronized (this) {
      next = null;
      if (closed) {
        return;
      }
      if (inProgress) {
        requested = true;
        return;
      }
      inProgress = true;
      roundEnded = new CompletableFuture<>();
      number = ++roundNumber;
      armLimit(number); // a task dropped before it ran
    }
    try {
      submittedNanos = config.ticker().read();
      config.executor().execute(() -> run(number));
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        if (!refusalLogged) {
          log.error("The executor of the elector for {} refused a round; retrying every "
              + "retry period", lock, e);
          refusalLogged = true;
        }
        requested = false;
      }
      ended(number, NextRound.in(config.retryPeriodNanos()));
    }
  }

  private void run(long number) {
    boolean closedMeanwhile;
    synchronized (this) {
      if (number != roundNumber || !inProgress) {
        return; // given up before it started
      }
      armLimit(number); // from its start: time queued for a thread does not count
      closedMeanwhile = closed;
    }
    if (closedMeanwhile) {
      ended(number, NextRound.in(0));
      return;
    }
    queueDelays.waited(config.ticker().read() - submittedNanos);
    CompletableFuture<NextRound> running;
    try {
      running = round.run();
    } catch (Exception e) {
      running = CompletableFuture.failedFuture(e);
    } catch (Error e) {
      // Even an Error must not end the election: the next round is always scheduled.
      ended(number, NextRound.in(config.retryPeriodNanos()));
      throw e;
    }
    running.whenComplete((after, failure) -> {
      if (failure != null) {
        // Also checked exceptions thrown undeclared (Kotlin libraries such as OkHttp do).
        log.error("Unexpected failure in the election for {}; retrying", lock,
            failure instanceof CompletionException ? failure.getCause() : failure);
      }
      ended(number, after != null ? after : NextRound.in(config.retryPeriodNanos()));
    });
  }

  /** (Re)arms the limit of round {@code number}; called holding this monitor. */
  private void armLimit(long number) {
    cancel(roundLimit);
    roundLimit = schedule(() -> giveUp(number),
        ROUND_LIMIT_DEADLINES * config.renewDeadlineNanos());
  }

  /** Round {@code number} has not ended in time: one of its tasks was dropped. */
  private void giveUp(long number) {
    synchronized (this) {
      if (number != roundNumber || !inProgress) {
        return;
      }
    }
    log.error("A round of the election for {} did not end within {} renew deadlines: its "
        + "executor dropped one of its tasks (an executor that discards tasks silently?); "
        + "starting another", lock, ROUND_LIMIT_DEADLINES);
    ended(number, NextRound.in(0));
  }

  /** Round {@code number} ended (once; later calls are ignored): schedules the next one. */
  private void ended(long number, NextRound after) {
    CompletableFuture<Void> ending;
    synchronized (this) {
      if (number != roundNumber || !inProgress) {
        return;
      }
      inProgress = false;
      cancel(roundLimit);
      ending = roundEnded;
      boolean wanted = requested;
      requested = false;
      if (!after.scheduledByHandOver()) {
        scheduleIn(wanted ? 0 : after.delayNanos());
      } else if (wanted) {
        scheduleIn(0);
      }
    }
    ending.complete(null);
  }
}
