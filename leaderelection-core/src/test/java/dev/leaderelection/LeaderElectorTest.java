package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Elector behaviour beyond single rounds: hung calls, slow listeners, close, preemption. */
class LeaderElectorTest {

  private static final Duration RETRY = ElectionHarness.TIMINGS.retryPeriod();
  private static final Duration DEADLINE = ElectionHarness.TIMINGS.renewDeadline();
  private static final Duration LEASE = ElectionHarness.TIMINGS.leaseDuration();
  private static final Duration NANO = Duration.ofNanos(1);

  private final ElectionHarness harness = new ElectionHarness();

  @Test
  void recordRewrittenUnderTheLeaderShouldEndItsTermAndTakeAHigherToken() {
    harness.lock.putExternally(harness.heldBy("x", 4));
    harness.advance(LEASE);
    LeaderElector a = harness.started("a");
    harness.advance(LEASE);
    assertThat(a.currentTerm()).get().extracting(LeaderContext::fencingToken).isEqualTo(5L);

    harness.lock.putExternally(harness.heldBy("a", 0)); // recreated, or named by a coordinator
    harness.advance(RETRY.multipliedBy(2));

    assertThat(harness.listener("a").events()).contains("stopped 5 STOLEN", "started 6");
    assertThat(harness.lock.current().leaseTransitions()).as("the record carries the new term")
        .isEqualTo(6);
  }

  @Test
  void lockCallHangingPastTheRenewDeadlineShouldEndLeadershipAtTheDeadline() {
    LeaderElector a = harness.started("a");
    LeaderContext term = harness.listener("a").lastContext();
    harness.executor.hold();

    harness.advance(DEADLINE.minus(NANO));
    assertThat(harness.executor.heldTasks()).as("the hung renew").isEqualTo(1);
    assertThat(a.isLeader()).isTrue();
    assertThat(term.isActive()).isTrue();

    harness.advance(NANO);
    assertThat(a.isLeader()).isFalse();
    assertThat(term.isActive()).isFalse();
    assertThat(term.ended().toCompletableFuture())
        .isCompletedWithValue(StepDownReason.RENEW_DEADLINE_EXCEEDED);
    assertThat(harness.listener("a").events())
        .containsExactly("leader a", "started 0", "stopped 0 RENEW_DEADLINE_EXCEEDED");
  }

  @Test
  void isLeaderShouldTurnFalseAtTheDeadlineEvenWhenNoTaskRuns() {
    LeaderElector a = harness.started("a");
    harness.ticker.advance(DEADLINE.minus(NANO));
    assertThat(a.isLeader()).isTrue();

    harness.ticker.advance(NANO);

    assertThat(a.isLeader()).isFalse();
  }

  @Test
  void hungRenewThatCompletesLateShouldNotReviveTheTermButStartANewOne() {
    LeaderElector a = harness.started("a");
    harness.executor.hold();
    harness.advance(DEADLINE);
    assertThat(a.isLeader()).isFalse();

    harness.executor.release();
    harness.scheduler.runDue();
    harness.advance(RETRY.multipliedBy(2));

    assertThat(harness.listener("a").events()).containsExactly("leader a", "started 0",
        "stopped 0 RENEW_DEADLINE_EXCEEDED", "started 1");
    assertThat(a.isLeader()).isTrue();
  }

  @Test
  void closeWhileLeadingShouldCancelTheContextAwaitListenersThenRelease() {
    LeaderElector a = harness.started("a");
    LeaderContext term = harness.listener("a").lastContext();
    harness.callbacks.hold();

    CompletableFuture<Void> closed = a.closeAsync().toCompletableFuture();
    harness.scheduler.runDue();

    assertThat(term.isActive()).isFalse();
    assertThat(term.ended().toCompletableFuture()).isCompletedWithValue(StepDownReason.RELEASED);
    assertThat(harness.lock.calls()).as("no release before listeners finish")
        .containsExactly("get", "create a");
    assertThat(closed).isNotDone();

    harness.callbacks.release();
    harness.scheduler.runDue();

    assertThat(harness.listener("a").events()).endsWith("stopped 0 RELEASED");
    assertThat(harness.lock.calls()).containsExactly("get", "create a", "update ''");
    assertThat(closed).isCompleted();
  }

  @Test
  void closeWhileListenersStallShouldReleaseAfterTheRenewDeadline() {
    LeaderElector a = harness.started("a");
    harness.callbacks.hold();

    CompletableFuture<Void> closed = a.closeAsync().toCompletableFuture();
    harness.advance(DEADLINE.minus(NANO));
    assertThat(harness.lock.calls()).containsExactly("get", "create a");

    harness.advance(NANO);

    assertThat(harness.lock.calls()).containsExactly("get", "create a", "update ''");
    assertThat(closed).isCompleted();
  }

  @Test
  void yieldWhileLeadingShouldEndTheTermReleaseAfterListenersAndRestForTheBackOff() {
    LeaderElector a = harness.started("a");
    LeaderContext term = harness.listener("a").lastContext();
    harness.callbacks.hold();

    CompletableFuture<Boolean> yielded = a.yield(LEASE.multipliedBy(2)).toCompletableFuture();
    harness.scheduler.runDue();

    assertThat(a.isLeader()).isFalse();
    assertThat(term.ended().toCompletableFuture()).isCompletedWithValue(StepDownReason.YIELDED);
    assertThat(harness.lock.calls()).as("no release before listeners finish")
        .containsExactly("get", "create a");
    harness.callbacks.release();
    harness.scheduler.runDue();
    assertThat(yielded).isCompletedWithValue(true);
    assertThat(harness.lock.calls()).containsExactly("get", "create a", "update ''");

    harness.advance(LEASE.multipliedBy(2).minus(NANO));
    assertThat(harness.lock.calls()).as("resting: not even a read")
        .containsExactly("get", "create a", "update ''");
    assertThat(a.isLeader()).isFalse();

    harness.advance(NANO.plus(RETRY));
    assertThat(a.isLeader()).as("competes again after the back-off").isTrue();
    assertThat(harness.listener("a").events())
        .containsExactly("leader a", "started 0", "stopped 0 YIELDED", "started 1");
  }

  @Test
  void yieldShouldLetAnotherCandidateTakeOverAtOnceWhileTheYielderRests() {
    LeaderElector a = harness.started("a");
    LeaderElector b = harness.started("b");
    assertThat(a.isLeader()).isTrue();

    a.yield(LEASE).toCompletableFuture();
    harness.scheduler.runDue();
    harness.advance(RETRY.multipliedBy(2));

    assertThat(b.isLeader()).as("the released lease is taken within a retry period").isTrue();
    assertThat(a.isLeader()).isFalse();
    assertThat(harness.listener("b").events()).contains("started 1");
  }

  @Test
  void yieldOnAFollowerShouldDoNothing() {
    harness.started("a");
    LeaderElector b = harness.started("b");
    List<String> before = harness.lock.calls();

    assertThat(b.yield(LEASE).toCompletableFuture()).isCompletedWithValue(false);
    harness.scheduler.runDue();

    assertThat(harness.lock.calls()).isEqualTo(before);
    assertThat(harness.listener("b").events()).doesNotContain("stopped");
  }

  @Test
  void pauseWhileLeadingShouldReleaseAndStayOutUntilResumed() {
    LeaderElector a = harness.started("a");

    CompletableFuture<Boolean> paused = a.pause().toCompletableFuture();
    harness.scheduler.runDue();
    harness.advance(LEASE.multipliedBy(10));

    assertThat(paused).isCompletedWithValue(true);

    assertThat(a.isPaused()).isTrue();
    assertThat(a.isLeader()).isFalse();
    assertThat(harness.lock.calls()).as("released, then silent")
        .containsExactly("get", "create a", "update ''");

    a.resume();
    harness.scheduler.runDue();

    assertThat(a.isPaused()).isFalse();
    assertThat(a.isLeader()).isTrue();
    assertThat(harness.listener("a").events())
        .containsExactly("leader a", "started 0", "stopped 0 YIELDED", "started 1");
  }

  @Test
  void pausedFollowerShouldNotTakeAFreeLeaseUntilResumed() {
    LeaderElector a = harness.started("a");
    LeaderElector b = harness.started("b");

    assertThat(b.pause().toCompletableFuture()).isCompletedWithValue(false);
    a.closeAsync();
    harness.advance(LEASE.multipliedBy(3));
    assertThat(b.isLeader()).as("paused").isFalse();

    b.resume();
    harness.advance(RETRY);
    assertThat(b.isLeader()).isTrue();
  }

  @Test
  void yieldWithANegativeBackOffShouldFailNamingIt() {
    LeaderElector a = harness.started("a");

    assertThatIllegalArgumentException().isThrownBy(() -> a.yield(Duration.ofSeconds(-1)))
        .withMessage("backOff is -1s; it must not be negative");
  }

  @Test
  void yieldLongerThanTheBoundShouldFailNamingTheBoundAndKeepLeading() {
    LeaderElector a = harness.started("a");

    assertThatIllegalArgumentException().isThrownBy(() -> a.yield(Duration.ofDays(300_000)))
        .withMessage("backOff is 25920000000s; it must be at most 365d");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> a.yield(LeaderElector.MAX_YIELD_BACK_OFF.plus(NANO)))
        .withMessageEndingWith("it must be at most 365d");
    assertThatIllegalArgumentException().isThrownBy(() -> a.yield(Duration.ofDays(-300_000)))
        .withMessage("backOff is -25920000000s; it must not be negative");
    harness.advance(LEASE);
    assertThat(a.isLeader()).isTrue();
  }

  @Test
  void yieldForTheLongestBackOffShouldRestUntilResumed() {
    LeaderElector a = harness.started("a");

    CompletableFuture<Boolean> yielded =
        a.yield(LeaderElector.MAX_YIELD_BACK_OFF).toCompletableFuture();
    harness.scheduler.runDue();
    harness.advance(LEASE.multipliedBy(100));

    assertThat(yielded).isCompletedWithValue(true);
    assertThat(a.isLeader()).as("resting").isFalse();

    a.resume();
    harness.scheduler.runDue();
    assertThat(a.isLeader()).isTrue();
  }

  @Test
  void closeShouldBeIdempotentAndStartAfterCloseShouldFail() {
    LeaderElector a = harness.started("a");
    a.closeAsync();
    a.closeAsync();
    harness.advance(LEASE);

    assertThat(harness.lock.calls()).containsExactly("get", "create a", "update ''");
    assertThatIllegalStateException().isThrownBy(a::start).withMessageContaining("closed");
  }

  @Test
  void startTwiceShouldFail() {
    LeaderElector a = harness.started("a");

    assertThatIllegalStateException().isThrownBy(a::start).withMessageContaining("started");
  }

  @Test
  void closeBeforeAQueuedRoundRunsShouldSendNothing() {
    LeaderElector a = harness.elector("a");
    harness.executor.hold();
    a.start();
    harness.scheduler.runDue();

    CompletableFuture<Void> closed = a.closeAsync().toCompletableFuture();
    harness.executor.release();
    harness.scheduler.runDue();

    assertThat(harness.lock.calls()).isEmpty();
    assertThat(closed).isCompleted();
  }

  @Test
  void blockingListenerShouldNotDelayRenewals() throws InterruptedException {
    ExecutorService listenerThread = Executors.newSingleThreadExecutor();
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch unblock = new CountDownLatch(1);
    harness.configure = builder -> builder.callbackExecutor(listenerThread)
        .listener(new LeadershipListener() {
          @Override
          public void onStartedLeading(LeaderContext context) {
            blocked.countDown();
            try {
              unblock.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    try {
      LeaderElector a = harness.started("a");
      assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();

      for (int renew = 1; renew <= 10; renew++) {
        harness.advance(RETRY);
        assertThat(harness.lock.takeCalls()).as("renew %d", renew).endsWith("update a");
        assertThat(a.isLeader()).isTrue();
      }
    } finally {
      unblock.countDown();
      listenerThread.shutdown();
    }
  }

  @Test
  void listenerThatThrowsShouldNotStopTheElection() {
    harness.configure = builder -> builder.listener(new LeadershipListener() {
      @Override
      public void onStartedLeading(LeaderContext context) {
        throw new IllegalStateException("listener bug");
      }
    });
    LeaderElector a = harness.started("a");

    harness.advance(RETRY.multipliedBy(3));

    assertThat(a.isLeader()).isTrue();
    assertThat(harness.listener("a").events()).containsExactly("leader a", "started 0");
  }

  @Test
  void higherPriorityCandidateShouldTakeOverWithoutTwoLeadersAtAnyInstant() {
    LeaderElector low = harness.started("low");
    LeaderElector other = harness.started("other");
    harness.configure = builder -> builder.priority(5);
    LeaderElector high = harness.started("high");
    List<String> overlaps = new ArrayList<>();
    harness.scheduler.checkAfterEveryTask(() -> {
      long leaders = List.of(low, other, high).stream().filter(LeaderElector::isLeader).count();
      if (leaders > 1) {
        overlaps.add("two leaders at " + harness.ticker.elapsed());
      }
    });

    harness.advance(RETRY.multipliedBy(3));

    assertThat(overlaps).isEmpty();
    assertThat(high.isLeader()).isTrue();
    assertThat(low.isLeader()).isFalse();
    assertThat(other.isLeader()).isFalse();
    assertThat(harness.listener("low").events())
        .containsExactly("leader low", "started 0", "stopped 0 PREEMPTED", "leader high");
    assertThat(harness.listener("high").events())
        .containsExactly("leader low", "leader high", "started 1");
    assertThat(harness.listener("other").events())
        .containsExactly("leader low", "leader high");
    assertThat(harness.lock.current().holderPriority()).isEqualTo(5);
    assertThat(harness.lock.current().preferredHolder()).isNull();
  }

  @Test
  void preferredCandidateShouldReplaceADeadLeaderOnlyWhenItsLeaseExpires() {
    harness.lock.putExternally(harness.heldBy("dead", 0));
    harness.configure = builder -> builder.priority(5);
    LeaderElector high = harness.started("high");
    assertThat(harness.lock.current().preferredHolder()).isNotNull();

    harness.advance(LEASE.minus(NANO));
    assertThat(high.isLeader()).isFalse();

    harness.advance(NANO);
    assertThat(high.isLeader()).as("its own claim did not delay the takeover").isTrue();
  }

  @Test
  void undeclaredCheckedExceptionFromALockShouldNotEndTheElection() {
    harness.lock.throwUndeclaredOnNextGet(new InterruptedException("thrown by Kotlin code"));
    LeaderElector a = harness.started("a");
    assertThat(a.isLeader()).isFalse();

    harness.advance(RETRY);

    assertThat(a.isLeader()).as("the next round ran").isTrue();
  }

  @Test
  void currentTermShouldBeThisInstancesOwnWhileItLeadsAndEmptyOnceItStops() {
    harness.lock.putExternally(harness.heldBy("a", 7));
    LeaderElector a = harness.started("a");
    assertThat(a.currentTerm()).hasValueSatisfying(
        term -> assertThat(term.fencingToken()).isEqualTo(8));

    harness.lock.putExternally(harness.heldBy("b", 9));
    harness.advance(RETRY);

    assertThat(a.observedRecord()).get().extracting(LeaderRecord::leaseTransitions)
        .isEqualTo(9);
    assertThat(a.currentTerm()).as("another instance's newer term is not ours").isEmpty();
  }

  @Test
  void recordDeletedWhileLeadingShouldEndTheTermAndBeginOneWithALargerToken() {
    harness.lock.putExternally(harness.heldBy("a", 7));
    LeaderElector a = harness.started("a");
    harness.lock.delete();

    harness.advance(RETRY);

    assertThat(harness.listener("a").events()).containsExactly("leader a", "started 8",
        "stopped 8 STOLEN", "started 9");
    assertThat(a.isLeader()).isTrue();
  }

  @Test
  void wipedRecordShouldBeTakenAtOnceWithAHigherToken() {
    harness.lock.putExternally(harness.heldBy("b", 7));
    LeaderElector a = harness.started("a");
    harness.advance(Duration.ofSeconds(1));
    harness.lock.putExternally(harness.heldBy("", 0));

    harness.advance(RETRY);

    assertThat(a.isLeader()).as("an operator's reset hands over at once").isTrue();
    assertThat(harness.listener("a").events()).containsExactly("leader b", "leader a",
        "started 8");
  }

  @Test
  void deletedRecordShouldBeTakenAtOnceEvenBehindAHugeLease() {
    harness.lock.putExternally(harness.heldBy("stranger", 7, Duration.ofSeconds(100_000)));
    LeaderElector a = harness.started("a");
    harness.advance(Duration.ofSeconds(1));
    harness.lock.delete();

    harness.advance(RETRY);

    assertThat(a.isLeader()).as("deleting the Lease hands over at once").isTrue();
    assertThat(harness.listener("a").events()).containsExactly("leader stranger", "leader a",
        "started 8");
  }

  @Test
  void lowerPriorityCandidateShouldNeitherClaimNorTakeOver() {
    harness.configure = builder -> builder.priority(5);
    LeaderElector high = harness.started("high");
    harness.configure = builder -> builder.priority(1);
    harness.started("low");

    harness.advance(LEASE);

    assertThat(high.isLeader()).isTrue();
    assertThat(harness.lock.calls()).noneMatch(call -> call.contains("preferring"));
  }

  @Test
  void stuckElectionLoopShouldFailTheHealthCheckAfterLeaseDurationPlusTolerance() {
    LeaderElector a = harness.started("a");
    Duration tolerance = Duration.ofSeconds(5);
    harness.ticker.advance(LEASE.plus(tolerance));
    assertThat(a.check(tolerance)).isEmpty();

    harness.ticker.advance(NANO);

    assertThat(a.check(tolerance)).get().asString()
        .contains("still acts as leader", "recording lock", "stuck");
  }

  @Test
  void healthyLeaderAndFollowerShouldPassTheHealthCheck() {
    LeaderElector a = harness.started("a");
    LeaderElector b = harness.started("b");

    harness.advance(LEASE.multipliedBy(3));

    assertThat(a.check(Duration.ZERO)).isEmpty();
    assertThat(b.check(Duration.ZERO)).isEmpty();
    assertThat(b.leader()).contains("a");
    assertThat(b.observedRecord()).get().extracting(LeaderRecord::holderIdentity).isEqualTo("a");
  }

  @Test
  void blankIdentityShouldBeRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LeaderElector.builder(harness.lock, " ").build())
        .withMessage("identity is ' ' but must not be blank");
  }

  @Test
  void negativePriorityShouldBeRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LeaderElector.builder(harness.lock, "a").priority(-1).build())
        .withMessage("priority is -1 but must be 0 or more");
  }
}
