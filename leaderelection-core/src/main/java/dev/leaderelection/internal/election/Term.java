package dev.leaderelection.internal.election;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.Ticker;
import dev.leaderelection.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * One term of leadership. Active from the completion of the write that acquired the lease until
 * it is ended, and never later than the renew deadline after the last successful renew.
 */
final class Term implements LeaderContext {

  private final String identity;
  private final long fencingToken;
  private final Instant acquiredAt;
  private final Ticker ticker;
  private final long renewDeadlineNanos;
  private final long startNanos;
  private final CompletableFuture<StepDownReason> ended = new CompletableFuture<>();
  private volatile long lastRenewNanos;
  private volatile @Nullable StepDownReason endReason;
  private volatile long endNanos;

  /**
   * @param renewSentNanos when the write that began this term was sent; the deadline counts
   *     from there, never from its (later) completion
   */
  Term(String identity, long fencingToken, Instant acquiredAt, Ticker ticker,
      long renewDeadlineNanos, long renewSentNanos) {
    this.identity = identity;
    this.fencingToken = fencingToken;
    this.acquiredAt = acquiredAt;
    this.ticker = ticker;
    this.renewDeadlineNanos = renewDeadlineNanos;
    this.lastRenewNanos = renewSentNanos;
    this.startNanos = ticker.read();
  }

  @Override
  public String identity() {
    return identity;
  }

  @Override
  public long fencingToken() {
    return fencingToken;
  }

  @Override
  public Instant acquiredAt() {
    return acquiredAt;
  }

  @Override
  public boolean isActive() {
    return endReason == null && !deadlinePassed(ticker.read());
  }

  @Override
  public CompletionStage<StepDownReason> ended() {
    return ended.minimalCompletionStage();
  }

  boolean deadlinePassed(long nowNanos) {
    return nowNanos - lastRenewNanos >= renewDeadlineNanos;
  }

  long deadlineNanos() {
    return lastRenewNanos + renewDeadlineNanos;
  }

  long lastRenewNanos() {
    return lastRenewNanos;
  }

  /**
   * Records a successful renew that was sent at {@code sentNanos}, unless the term has ended or
   * its deadline passed before the renew completed: an ended term never revives.
   *
   * @return whether the term is still active
   */
  synchronized boolean renewIfActive(long sentNanos) {
    if (endReason != null || deadlinePassed(ticker.read())) {
      return false;
    }
    lastRenewNanos = sentNanos;
    return true;
  }

  /**
   * Ends the term unless it already ended; the caller then completes it with {@link #complete()}.
   *
   * @return whether this call ended the term
   */
  synchronized boolean end(StepDownReason reason) {
    if (endReason != null) {
      return false;
    }
    endNanos = Math.min(ticker.read() - lastRenewNanos, renewDeadlineNanos) + lastRenewNanos;
    endReason = reason;
    return true;
  }

  void complete() {
    StepDownReason reason = endReason;
    if (reason != null) {
      ended.complete(reason);
    }
  }

  /** When this term began, on the elector's ticker. */
  long startNanos() {
    return startNanos;
  }

  /** When this term stopped being active, on the elector's ticker, as far as is known now. */
  long endNanos() {
    return endReason != null ? endNanos : Math.min(ticker.read(), deadlineNanos());
  }

  /**
   * client-go's Check: why this term looks stuck, when it still acts as leader more than
   * {@code limit} after its last successful renew.
   */
  Optional<String> stuck(Duration limit, String lock) {
    Duration sinceRenew = Duration.ofNanos(ticker.read() - lastRenewNanos);
    if (sinceRenew.compareTo(limit) <= 0) {
      return Optional.empty();
    }
    return Optional.of(identity + " still acts as leader of " + lock + " but last renewed it "
        + Durations.format(sinceRenew.truncatedTo(ChronoUnit.MILLIS)) + " ago, more than the "
        + "lease duration plus the tolerance (" + Durations.format(limit)
        + "); the election loop is stuck");
  }

  @Override
  public String toString() {
    return "term " + fencingToken + " of " + identity;
  }
}
