package dev.leaderelection.internal.election;

import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.Ticker;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election's calls on its lock, and what they tell of the lock's health: a lost race is an
 * empty answer, and an answer (a lost race included) counts as the lock answering. Only a round
 * in which the lock answered one of that round's own calls in time, or a watched change, clears
 * the last failure: a round that made no call, a late answer, or a release's answer leaves it, so
 * health does not flap in an outage.
 *
 * <p>A round's calls go through the lock's {@code *Async} methods: a lock that answers at once
 * (blocking locks do) goes on on the calling thread; any other answer, and a call's timeout, go
 * on on the lock-call executor, never on the lock's own threads or the shared scheduler. A call
 * not answered within the renew deadline fails and is cancelled, so a lock that loses a future
 * cannot stop the election. After {@link #close()} no round call is sent. Thread-safe.
 */
final class LockCalls {

  private static final Logger log = LoggerFactory.getLogger(LockCalls.class);

  /** What a call is to the election. */
  private enum Role {
    /** A round's read: counts for health; cancelled by close, and not sent after it. */
    ROUND_READ,
    /** A round's write: counts for health; not sent after close, left to land if in flight. */
    ROUND_WRITE,
    /** A release's write or re-read: of no round; close sends it and waits for it. */
    RELEASE
  }

  private static final long NO_ROUND = -1;

  private final LeaseLock lock;
  private final String identity;
  private final Ticker ticker;
  private final long renewDeadlineNanos;
  private final FailureLog failures;
  private final Executor continuations;
  private final RoundScheduler rounds;
  private volatile long lastAnswerNanos;
  private long round;
  private long answeredInRound = NO_ROUND;
  private @Nullable CompletableFuture<?> readInFlight;
  private boolean closed;

  /** @param rounds the election's scheduler, which times each call's deadline */
  LockCalls(LeaseLock lock, ElectionConfig config, RoundScheduler rounds) {
    this.lock = lock;
    this.identity = config.identity();
    this.ticker = config.ticker();
    this.renewDeadlineNanos = config.renewDeadlineNanos();
    this.failures = new FailureLog(lock.describe(), config.ticker());
    this.continuations = config.continuations();
    this.rounds = rounds;
  }

  /**
   * Reads the record, empty when there is none, without holding a thread while the lock answers;
   * the read of a round, cancelled by {@link #close()}.
   */
  CompletableFuture<Optional<LeaderRecord>> readAsync() {
    return callAsync(Role.ROUND_READ, lock::getAsync, read -> read);
  }

  /** Creates the record in a round; empty when another instance created it first. */
  CompletableFuture<Optional<LeaderRecord>> createAsync(LeaderRecord record) {
    return callAsync(Role.ROUND_WRITE, () -> lock.createAsync(record), Optional::of);
  }

  /** Writes the record in a round; empty when it changed since {@code record.version()}. */
  CompletableFuture<Optional<LeaderRecord>> writeAsync(LeaderRecord record) {
    return callAsync(Role.ROUND_WRITE, () -> lock.updateAsync(record), Optional::of);
  }

  /** Writes a release, of no round; empty when the record changed since its version. */
  CompletableFuture<Optional<LeaderRecord>> releaseAsync(LeaderRecord record) {
    return callAsync(Role.RELEASE, () -> lock.updateAsync(record), Optional::of);
  }

  /** Reads the record for a release after a lost race; of no round, and not cancelled by close. */
  CompletableFuture<Optional<LeaderRecord>> rereadAsync() {
    return callAsync(Role.RELEASE, lock::getAsync, read -> read);
  }

  /**
   * The election closes: a read in flight is cancelled (its answer is not needed), a write is
   * left to land, so that a lease it takes is seen and released; no round call is sent any more.
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
   * {@link LeaseLockException} is recorded as failed (unless the election closed) and ends with
   * {@code afterFailure}.
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
      if (!isClosed()) {
        roundFailed(lockFailure);
      }
      return afterFailure.get();
    });
  }

  /** A round begins: it has heard nothing from the lock yet. */
  synchronized void roundStarting() {
    round++;
  }

  /** A round ended without failure; clears the last failure if the lock answered in it. */
  void roundSucceeded() {
    boolean answered;
    synchronized (this) {
      answered = answeredInRound == round;
    }
    if (answered) {
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

  private synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Starts a lock call; its answer is {@code toAnswer} of the lock's, a lost race empty. A lock
   * that answered at once goes on here; any other answer goes on on the lock-call executor.
   */
  private <T> CompletableFuture<Optional<LeaderRecord>> callAsync(Role role,
      Supplier<CompletableFuture<T>> lockCall, Function<T, Optional<LeaderRecord>> toAnswer) {
    long ofRound;
    synchronized (this) {
      if (closed && role != Role.RELEASE) {
        return CompletableFuture.failedFuture(new LeaseLockException("The election on "
            + lock.describe() + " was closed; the call was not sent"));
      }
      ofRound = role == Role.RELEASE ? NO_ROUND : round;
    }
    CompletableFuture<T> call;
    try {
      call = lockCall.get();
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Optional<LeaderRecord>> answer = new CompletableFuture<>();
    if (call.isDone()) {
      settle(call, toAnswer, answer, ofRound);
      return answer;
    }
    CompletableFuture<T> pending = call;
    if (role == Role.ROUND_READ) {
      synchronized (this) {
        readInFlight = pending;
      }
    }
    Future<?> timeout = rounds.schedule(() -> continuations.execute(() -> {
      if (answer.completeExceptionally(new LeaseLockException(lock.describe()
          + " did not answer within the renew deadline; the call was cancelled"))) {
        pending.cancel(true);
      }
    }), renewDeadlineNanos);
    pending.whenComplete((ignored, failure) -> {
      synchronized (this) {
        if (readInFlight == pending) {
          readInFlight = null;
        }
      }
      continuations.execute(() -> {
        RoundScheduler.cancel(timeout);
        settle(pending, toAnswer, answer, ofRound);
      });
    });
    return answer;
  }

  /**
   * Completes {@code answer} from the lock's finished {@code call}; a lost race is empty. An
   * answer counts for round {@code ofRound} only when it comes in time, in that round.
   */
  private <T> void settle(CompletableFuture<T> call, Function<T, Optional<LeaderRecord>> toAnswer,
      CompletableFuture<Optional<LeaderRecord>> answer, long ofRound) {
    Optional<LeaderRecord> result;
    try {
      result = toAnswer.apply(call.join());
    } catch (CancellationException e) {
      answer.completeExceptionally(new LeaseLockException("The call on " + lock.describe()
          + " was cancelled", e));
      return;
    } catch (CompletionException e) {
      if (!(e.getCause() instanceof LeaseConflictException lost)) {
        answer.completeExceptionally(e.getCause());
        return;
      }
      log.debug("{} lost a race on {}: {}", identity, lock.describe(), lost.getMessage());
      result = Optional.empty();
    } catch (RuntimeException e) { // a lock answering null: the round fails, and goes on
      answer.completeExceptionally(e);
      return;
    }
    if (!answer.isDone()) {
      answered(ofRound);
    }
    answer.complete(result);
  }

  /** The lock answered a call of round {@code ofRound} ({@link #NO_ROUND}: of none). */
  private void answered(long ofRound) {
    lastAnswerNanos = ticker.read();
    synchronized (this) {
      if (ofRound != NO_ROUND && ofRound == round) {
        answeredInRound = ofRound;
      }
    }
  }
}
