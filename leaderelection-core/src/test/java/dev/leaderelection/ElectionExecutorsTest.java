package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.internal.election.ElectionInternals;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * Where the election goes on: after a call's timeout on the lock-call executor, never on the
 * scheduler every elector shares; and an executor that drops a task silently costs a round, never
 * the election.
 */
class ElectionExecutorsTest {

  private static final Duration RETRY = ElectionHarness.TIMINGS.retryPeriod();
  private static final Duration DEADLINE = ElectionHarness.TIMINGS.renewDeadline();

  private final ElectionHarness harness = new ElectionHarness();

  @Test
  void roundShouldGoOnOnTheLockCallExecutorAfterACallTimesOut() {
    AsyncLock lock = new AsyncLock(harness.lock);
    harness.electorsLock = lock;
    lock.answerAll();
    LeaderElector a = harness.started("a");
    lock.hold();
    harness.advance(RETRY);

    harness.executor.hold();
    harness.advance(DEADLINE);
    assertThat(a.lastFailure()).as("the timeout waits for a lock-call thread").isEmpty();

    harness.executor.release();
    harness.scheduler.runDue();
    assertThat(a.lastFailure()).get().asString().contains("did not answer");
  }

  @Test
  void executorDroppingARoundShouldCostTheRoundNotTheElection() {
    DroppingExecutor executor = new DroppingExecutor(harness.scheduler);
    harness.configure = builder -> builder.executor(executor);
    executor.dropping = true;
    LeaderElector a = harness.started("a");
    executor.dropping = false;
    assertThat(a.isLeader()).isFalse();

    harness.advance(DEADLINE.multipliedBy(ElectionInternals.ROUND_LIMIT_DEADLINES));

    assertThat(a.isLeader()).as("the lost round was given up and another ran").isTrue();
  }

  /** Discards tasks without a word while {@link #dropping}, as a full DiscardPolicy pool does. */
  private static final class DroppingExecutor implements Executor {

    private final Executor delegate;
    boolean dropping;

    DroppingExecutor(Executor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
      if (!dropping) {
        delegate.execute(task);
      }
    }
  }
}
