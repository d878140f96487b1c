package dev.leaderelection;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election's calls on its lock, and what they tell of the lock's health: a lost race is an
 * empty answer, and every answer (a lost race included) or watched change counts as the lock
 * answering. Only a round in which the lock answered, or a watched change, clears the last
 * failure: a round that made no call leaves it, so health does not flap in an outage.
 *
 * <p>A round's calls go through the lock's {@code *Async} methods: a lock that answers at once
 * (blocking locks do) goes on on the calling thread; any other answer goes on on the lock-call
 * executor, never on the lock's own threads. A call not answered within the renew deadline fails
 * and is cancelled, so a lock that loses a future cannot stop the election. Thread-safe.
 */
final class LockCalls {

  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

  private final LeaseLock lock;
  private final String identity;
  private final Ticker ticker;
  private final long renewDeadlineNanos;
  private final FailureLog failures;
  private final Executor executor;
  private final RoundScheduler rounds;
  private volatile boolean answeredThisRound;
  private volatile long lastAnswerNanos;
  private @Nullable CompletableFuture<?> readInFlight;
  private boolean closed;

  /** @param rounds the election's scheduler, which times each call's deadline */
  LockCalls(LeaseLock lock, ElectionConfig config, RoundScheduler rounds) {
    this.lock = lock;
    this.identity = config.identity();
    this.ticker = config.ticker();
    this.renewDeadlineNanos = config.renewDeadlineNanos();
    this.failures = new FailureLog(lock.describe(), config.ticker());
    this.executor = config.executor();
    this.rounds = rounds;
  }

  /**
   * Reads the record, empty when there is none, without holding a thread while the lock answers;
   * the read of a round, cancelled by {@link #close()}.
   */
  CompletableFuture<Optional<LeaderRecord>> readAsync() {
    return callAsync(lock::getAsync, read -> read, true);
  }

  /** {@link #readAsync()} that {@link #close()} does not cancel: a release's re-read. */
  CompletableFuture<Optional<LeaderRecord>> rereadAsync() {
    return callAsync(lock::getAsync, read -> read, false);
  }

  /** Creates the record; empty when another instance created it first. */
  CompletableFuture<Optional<LeaderRecord>> createAsync(LeaderRecord record) {
    return callAsync(() -> lock.createAsync(record), Optional::of, false);
  }

  /** Writes the record; empty when it changed since {@code record.version()}. */
  CompletableFuture<Optional<LeaderRecord>> writeAsync(LeaderRecord record) {
    return callAsync(() -> lock.updateAsync(record), Optional::of, false);
  }

  /**
   * The election closes: a read in flight is cancelled (its answer is not needed), a write is
   * left to land, so that a lease it takes is seen and released.
   */
  void close() {
    CompletableFuture<?> reading;
    synchronized (this) {
      closed = true;
      reading = readInFlight;
    }
    if (reading != null) {
      reading.cancel(true);
    }
  }

  /**
   * Runs a round, noting whether the lock answered in it; a round failing with a
   * {@link LeaseLockException} is recorded as failed and ends with {@code afterFailure}.
   */
  CompletableFuture<NextRound> round(Supplier<CompletableFuture<NextRound>> round,
      Supplier<NextRound> afterFailure) {
    roundStarting();
    CompletableFuture<NextRound> running;
    try {
      running = round.get();
    } catch (LeaseLockException e) {
      running = CompletableFuture.failedFuture(e);
    }
    return running.handle((next, failure) -> {
      if (failure == null) {
        roundSucceeded();
        return next;
      }
      Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
      if (!(cause instanceof LeaseLockException lockFailure)) {
        throw failure instanceof CompletionException done ? done : new CompletionException(cause);
      }
      roundFailed(lockFailure);
      return afterFailure.get();
    });
  }

  /** A round begins: it has heard nothing from the lock yet. */
  void roundStarting() {
    answeredThisRound = false;
  }

  /** A round ended without failure; clears the last failure if the lock answered in it. */
  void roundSucceeded() {
    if (answeredThisRound) {
      failures.succeeded();
    }
  }

  void roundFailed(LeaseLockException failure) {
    failures.failed(failure);
  }

  /** A watch opened: the lock answers, though the record it will deliver may be malformed. */
  void watchOpened() {
    lastAnswerNanos = ticker.read();
  }

  /** A watch delivered a change it could read: the lock answers and its record is usable. */
  void watchDelivered() {
    lastAnswerNanos = ticker.read();
    failures.succeeded();
  }

  /**
   * How long until a follower trusting its watch should read anyway: a watch that delivered
   * nothing for a renew deadline (a live leader renews every retry period) may be dead without
   * knowing it (a half-open connection, a frozen API server); the read also tells health whether
   * the lock still answers. 0 when that read is due.
   */
  long untilSilenceCheck(long nowNanos) {
    return Math.max(0, lastAnswerNanos + renewDeadlineNanos - nowNanos);
  }

  Optional<LeaseLockException> lastFailure() {
    return failures.last();
  }

  long failingForNanos() {
    return failures.failingForNanos();
  }

  /**
   * Starts a lock call; its answer is {@code toAnswer} of the lock's, a lost race empty. A lock
   * that answered at once goes on here; any other answer goes on on the lock-call executor.
   */
  private <T> CompletableFuture<Optional<LeaderRecord>> callAsync(
      Supplier<CompletableFuture<T>> lockCall, Function<T, Optional<LeaderRecord>> toAnswer,
      boolean cancelOnClose) {
    CompletableFuture<T> call;
    try {
      call = lockCall.get();
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Optional<LeaderRecord>> answer = new CompletableFuture<>();
    if (call.isDone()) {
      settle(call, toAnswer, answer);
      return answer;
    }
    CompletableFuture<T> pending = call;
    synchronized (this) {
      if (cancelOnClose && closed) {
        pending.cancel(true);
      } else if (cancelOnClose) {
        readInFlight = pending;
      }
    }
    Future<?> timeout = rounds.schedule(() -> {
      if (answer.completeExceptionally(new LeaseLockException(lock.describe()
          + " did not answer within the renew deadline; the call was cancelled"))) {
        pending.cancel(true);
      }
    }, renewDeadlineNanos);
    pending.whenComplete((ignored, failure) -> {
      RoundScheduler.cancel(timeout);
      synchronized (this) {
        if (readInFlight == pending) {
          readInFlight = null;
        }
      }
      goOn(executor, () -> settle(pending, toAnswer, answer));
    });
    return answer;
  }

  /** Completes {@code answer} from the lock's finished {@code call}; a lost race is empty. */
  private <T> void settle(CompletableFuture<T> call, Function<T, Optional<LeaderRecord>> toAnswer,
      CompletableFuture<Optional<LeaderRecord>> answer) {
    T value;
    try {
      value = call.join();
    } catch (CancellationException e) {
      answer.completeExceptionally(new LeaseLockException("The call on " + lock.describe()
          + " was cancelled", e));
      return;
    } catch (CompletionException e) {
      if (e.getCause() instanceof LeaseConflictException lost) {
        answer.complete(lostRace(lost));
      } else {
        answer.completeExceptionally(e.getCause());
      }
      return;
    }
    answered();
    try {
      answer.complete(toAnswer.apply(value));
    } catch (RuntimeException e) { // a lock answering null: the round fails, and goes on
      answer.completeExceptionally(e);
    }
  }

  /** Runs {@code next} on {@code executor}, or here when it is shut down. */
  private static void goOn(Executor executor, Runnable next) {
    try {
      executor.execute(next);
    } catch (RejectedExecutionException e) {
      next.run();
    }
  }

  /** A lost race: the lock answered, and nothing was read or written. */
  private Optional<LeaderRecord> lostRace(LeaseConflictException e) {
    answered();
    log.debug("{} lost a race on {}: {}", identity, lock.describe(), e.getMessage());
    return Optional.empty();
  }

  private void answered() {
    answeredThisRound = true;
    lastAnswerNanos = ticker.read();
  }
}
