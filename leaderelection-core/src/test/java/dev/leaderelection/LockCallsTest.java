package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Lock calls, what counts as the lock answering, and when a failure is cleared. */
class LockCallsTest {

  private static final Duration RENEW_DEADLINE = ElectionHarness.TIMINGS.renewDeadline();

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

  private LeaderRecord heldBy(String holder) {
    Instant now = ticker.clock().instant();
    return new LeaderRecord(holder, Duration.ofSeconds(15), now, now, 0, 0, null, null);
  }
}
