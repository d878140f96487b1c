package dev.leaderelection.internal.election;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.AsyncLock;
import dev.leaderelection.FakeTicker;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.ManualScheduler;
import dev.leaderelection.RecordingLock;
import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Lock calls, what counts as the lock answering, and when a failure is cleared. */
class LockCallsTest {

  private static final Duration RENEW_DEADLINE = LeaseTimings.DEFAULTS.renewDeadline();

  private final FakeTicker ticker = new FakeTicker();
  private final RecordingLock lock = new RecordingLock();
  private final ElectionConfig config =
      TestConfig.of(lock, ticker, new ManualScheduler(ticker), Runnable::run);
  private final LockCalls calls = new LockCalls(lock, config,
      new RoundScheduler(config, () -> CompletableFuture.completedFuture(NextRound.in(0))));

  @Test
  void lostRaceShouldBeAnEmptyAnswerAndCountAsTheLockAnswering() {
    LeaderRecord stored = lock.putExternally(heldBy("b"));
    calls.roundFailed(new LeaseLockException("earlier outage"));
    calls.roundStarting();

    assertThat(calls.createAsync(heldBy("me"))).as("created by someone else first")
        .isCompletedWithValue(Optional.empty());
    assertThat(calls.writeAsync(heldBy("me").withVersion("0"))).as("stale version")
        .isCompletedWithValue(Optional.empty());
    calls.roundSucceeded();

    assertThat(calls.lastFailure()).isEmpty();
    assertThat(calls.readAsync()).isCompletedWithValue(Optional.of(stored));
  }

  @Test
  void failureOtherThanALostRaceShouldPropagate() {
    lock.failGets(() -> new LeaseLockException("unreachable"));

    assertThat(calls.readAsync()).failsWithin(Duration.ZERO).withThrowableOfType(
        ExecutionException.class).havingCause().isInstanceOf(LeaseLockException.class)
        .withMessage("unreachable");
  }

  @Test
  void roundWithoutAnyLockCallShouldNotClearTheLastFailure() {
    calls.roundFailed(new LeaseLockException("outage"));

    calls.roundStarting();
    calls.roundSucceeded();

    assertThat(calls.lastFailure()).get().asString().contains("outage");
  }

  @Test
  void failingForShouldRunFromTheFirstFailureOfAnOutageUntilTheLockAnswers() {
    assertThat(calls.failingForNanos()).isZero();
    calls.roundFailed(new LeaseLockException("outage"));
    ticker.advance(Duration.ofSeconds(3));
    calls.roundFailed(new LeaseLockException("still out"));
    ticker.advance(Duration.ofSeconds(2));

    assertThat(calls.failingForNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());

    calls.roundStarting();
    calls.readAsync();
    calls.roundSucceeded();
    assertThat(calls.failingForNanos()).isZero();
    calls.roundFailed(new LeaseLockException("next outage"));
    ticker.advance(Duration.ofSeconds(1));
    assertThat(calls.failingForNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void watchedChangeShouldClearTheLastFailureAndOpeningAWatchShouldNot() {
    calls.roundFailed(new LeaseLockException("outage"));

    calls.watchOpened();
    assertThat(calls.lastFailure()).isPresent();
    calls.watchDelivered();
    assertThat(calls.lastFailure()).isEmpty();
  }

  @Test
  void silenceCheckShouldFallDueARenewDeadlineAfterTheLockLastAnswered() {
    calls.readAsync();
    ticker.advance(Duration.ofSeconds(4));
    assertThat(calls.untilSilenceCheck(ticker.read()))
        .isEqualTo(RENEW_DEADLINE.minusSeconds(4).toNanos());

    calls.watchOpened();
    ticker.advance(RENEW_DEADLINE);
    assertThat(calls.untilSilenceCheck(ticker.read())).isZero();
  }

  @Test
  void releaseAnsweredBesideARoundShouldNotClearTheRoundsFailure() {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    AsyncLock slow = new AsyncLock(lock);
    LockCalls calls = lockCalls(slow, scheduler);
    LeaderRecord held = lock.putExternally(heldBy("me"));
    calls.roundFailed(new LeaseLockException("outage"));
    CompletableFuture<NextRound> round = new CompletableFuture<>();
    calls.round(() -> round, () -> NextRound.in(0));

    calls.releaseAsync(held);
    slow.next().respond();
    scheduler.runDue();
    round.complete(NextRound.in(0));

    assertThat(calls.lastFailure()).as("the round itself heard nothing").isPresent();
  }

  @Test
  void answerHeardAfterItsTimeoutShouldNotClearTheFailure() {
    ManualScheduler scheduler = new ManualScheduler(ticker);
    CompletableFuture<Optional<LeaderRecord>> late = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        return false; // the answer was already on its way when the timeout fired
      }
    };
    LockCalls calls = lockCalls(new ForwardingLeaseLock(lock) {
      @Override
      public CompletableFuture<Optional<LeaderRecord>> getAsync() {
        return late;
      }
    }, scheduler);
    calls.round(() -> calls.readAsync().thenApply(read -> NextRound.in(0)), () -> NextRound.in(0));
    scheduler.advance(RENEW_DEADLINE);
    assertThat(calls.lastFailure()).get().asString().contains("did not answer");

    CompletableFuture<NextRound> next = new CompletableFuture<>();
    calls.round(() -> next, () -> NextRound.in(0));
    late.complete(Optional.empty());
    scheduler.runDue();
    next.complete(NextRound.in(0));

    assertThat(calls.lastFailure()).as("a late answer of an earlier round").isPresent();
  }

  private LockCalls lockCalls(LeaseLock lock, ManualScheduler scheduler) {
    ElectionConfig config = TestConfig.of(lock, ticker, scheduler, scheduler);
    return new LockCalls(lock, config, new RoundScheduler(config,
        () -> CompletableFuture.completedFuture(NextRound.in(0))));
  }

  private LeaderRecord heldBy(String holder) {
    Instant now = ticker.clock().instant();
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(Duration.ofSeconds(15))
        .acquireTime(now).renewTime(now).build();
  }
}
