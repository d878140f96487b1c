package dev.leaderelection;

import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election's calls on its lock, and what they tell of the lock's health: a lost race is an
 * empty answer, and every answer (a lost race included) or watched change counts as the lock
 * answering. Only a round in which the lock answered, or a watched change, clears the last
 * failure: a round that made no call leaves it, so health does not flap in an outage.
 * Thread-safe.
 */
final class LockCalls {

  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

  private final LeaseLock lock;
  private final String identity;
  private final Ticker ticker;
  private final long renewDeadlineNanos;
  private final FailureLog failures;
  private volatile boolean answeredThisRound;
  private volatile long lastAnswerNanos;

  LockCalls(LeaseLock lock, ElectionConfig config) {
    this.lock = lock;
    this.identity = config.identity();
    this.ticker = config.ticker();
    this.renewDeadlineNanos = config.renewDeadlineNanos();
    this.failures = new FailureLog(lock.describe(), config.ticker());
  }

  /** Reads the record; empty when there is none. */
  Optional<LeaderRecord> read() {
    return call(lock::get);
  }

  /** Creates the record; empty when another instance created it first. */
  Optional<LeaderRecord> create(LeaderRecord record) {
    return call(() -> Optional.of(lock.create(record)));
  }

  /** Writes the record; empty when it changed since {@code record.version()}. */
  Optional<LeaderRecord> write(LeaderRecord record) {
    return call(() -> Optional.of(lock.update(record)));
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

  private Optional<LeaderRecord> call(Supplier<Optional<LeaderRecord>> lockCall) {
    try {
      Optional<LeaderRecord> answer = lockCall.get();
      answered();
      return answer;
    } catch (LeaseConflictException e) {
      answered();
      log.debug("{} lost a race on {}: {}", identity, lock.describe(), e.getMessage());
      return Optional.empty();
    }
  }

  private void answered() {
    answeredThisRound = true;
    lastAnswerNanos = ticker.read();
  }
}
