package dev.leaderelection.internal.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.leaderelection.FakeTicker;
import dev.leaderelection.HoldingExecutor;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.ManualScheduler;
import dev.leaderelection.RecordingLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Rounds one at a time, the earlier of two kept, and always a next one. */
class RoundSchedulerTest {

  private static final Duration RETRY = LeaseTimings.DEFAULTS.retryPeriod();

  private final FakeTicker ticker = new FakeTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final HoldingExecutor executor = new HoldingExecutor(scheduler);
  private final List<Duration> ranAt = new ArrayList<>();
  private Supplier<NextRound> next = () -> NextRound.in(Duration.ofHours(1).toNanos());

  @Test
  void startedSchedulerShouldRunTheFirstRoundNowAndThenWhenTheRoundAsks() {
    next = () -> NextRound.in(RETRY.toNanos());
    rounds(executor).start(() -> { });
    scheduler.advance(RETRY.multipliedBy(2));

    assertThat(ranAt).containsExactly(Duration.ZERO, RETRY, RETRY.multipliedBy(2));
  }

  @Test
  void ofTwoScheduledRoundsOnlyTheEarlierShouldRun() {
    RoundScheduler rounds = rounds(executor);
    rounds.start(() -> { });
    scheduler.runDue();
    ranAt.clear();

    rounds.scheduleIn(Duration.ofSeconds(5).toNanos());
    rounds.scheduleIn(Duration.ofSeconds(9).toNanos());
    scheduler.advance(Duration.ofSeconds(10));

    assertThat(ranAt).containsExactly(Duration.ofSeconds(5));
  }

  @Test
  void requestDuringARoundShouldRunOneMoreRightAfterItNotTwoAtOnce() {
    RoundScheduler rounds = rounds(executor);
    executor.hold();
    rounds.start(() -> { });
    scheduler.runDue();
    rounds.request();
    rounds.request();
    scheduler.runDue();
    assertThat(ranAt).as("the first round still waits for a thread").isEmpty();

    executor.release();
    scheduler.runDue();

    assertThat(ranAt).containsExactly(Duration.ZERO, Duration.ZERO);
  }

  @Test
  void roundThatThrowsShouldBeFollowedByAnotherAfterTheRetryPeriod() {
    next = () -> {
      throw new IllegalStateException("bug");
    };
    rounds(executor).start(() -> { });
    scheduler.advance(RETRY);

    assertThat(ranAt).containsExactly(Duration.ZERO, RETRY);
  }

  @Test
  void roundHandingOverShouldScheduleNothingUntilAsked() {
    next = NextRound::afterHandOver;
    RoundScheduler rounds = rounds(executor);
    rounds.start(() -> { });
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(ranAt).containsExactly(Duration.ZERO);

    rounds.scheduleIn(0);
    scheduler.runDue();
    assertThat(ranAt).hasSize(2);
  }

  @Test
  void refusedRoundShouldBeTriedAgainEveryRetryPeriod() {
    List<Boolean> refuse = new ArrayList<>(List.of(true, true));
    Executor refusing = task -> {
      if (!refuse.isEmpty() && refuse.remove(0)) {
        throw new RejectedExecutionException("busy");
      }
      executor.execute(task);
    };
    rounds(refusing).start(() -> { });
    scheduler.advance(RETRY.multipliedBy(2));

    assertThat(ranAt).containsExactly(RETRY.multipliedBy(2));
  }

  @Test
  void closedSchedulerShouldRunNoMoreRoundsAndRefuseToStart() {
    next = () -> NextRound.in(RETRY.toNanos());
    RoundScheduler rounds = rounds(executor);
    rounds.start(() -> { });
    scheduler.runDue();

    rounds.close();
    rounds.request();
    scheduler.advance(RETRY.multipliedBy(5));

    assertThat(ranAt).containsExactly(Duration.ZERO);
    assertThat(scheduler.pendingTasks()).isZero();
    assertThatIllegalStateException().isThrownBy(() -> rounds.start(() -> { }))
        .withMessageContaining("already closed");
  }

  private RoundScheduler rounds(Executor lockCalls) {
    return new RoundScheduler(TestConfig.of(new RecordingLock(), ticker, scheduler, lockCalls),
        () -> {
          ranAt.add(ticker.elapsed());
          return CompletableFuture.completedFuture(next.get());
        });
  }
}
