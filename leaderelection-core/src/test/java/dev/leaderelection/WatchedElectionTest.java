package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Followers that watch the lock: no polling while the watch is healthy, polling when not. */
class WatchedElectionTest {

  private static final Duration RETRY = ElectionHarness.TIMINGS.retryPeriod();
  private static final Duration LEASE = ElectionHarness.TIMINGS.leaseDuration();
  private static final Duration NANO = Duration.ofNanos(1);
  private static final Duration DEADLINE = ElectionHarness.TIMINGS.renewDeadline();

  private final ElectionHarness harness = new ElectionHarness();

  @BeforeEach
  void watchable() {
    harness.lock.enableWatch();
  }

  @Test
  void watchEventShouldBeRecordedAsAnObservationWithoutAnyRequest() {
    harness.lock.putExternally(harness.heldBy("b", 3));
    LeaderElector a = harness.started("a");
    harness.lock.takeCalls();

    renewEveryRetryPeriodFor(LEASE.multipliedBy(3));

    assertThat(a.observedRecord()).get().extracting(LeaderRecord::renewTime)
        .isEqualTo(harness.lock.current().renewTime());
    assertThat(harness.lock.calls()).as("no request while the watch reports renewals").isEmpty();
    assertThat(a.isLeader()).isFalse();
  }

  @Test
  void unchangedLeaseShouldBeCheckedOnceAfterTheRenewDeadlineAndTakenOverExactlyAtExpiry() {
    harness.lock.putExternally(harness.heldBy("b", 3));
    LeaderElector a = harness.started("a");
    harness.lock.takeCalls();

    harness.advance(DEADLINE.minus(NANO));
    assertThat(harness.lock.calls()).as("silent, but not for a renew deadline yet").isEmpty();
    harness.advance(NANO);
    assertThat(harness.lock.takeCalls()).as("a silent watch is checked once")
        .containsExactly("get");
    harness.advance(LEASE.minus(DEADLINE).minus(NANO));
    assertThat(a.isLeader()).isFalse();
    harness.advance(NANO);

    assertThat(a.isLeader()).isTrue();
    assertThat(harness.lock.calls()).containsExactly("get", "update a");
  }

  @Test
  void frozenApiServerShouldBeNoticedWithinARenewDeadlineNotALeaseDuration() {
    harness.lock.putExternally(harness.heldBy("b", 3));
    LeaderElector a = harness.started("a");
    renewEveryRetryPeriodFor(LEASE);

    harness.lock.failGets(() -> new LeaseLockException("timeout: the API server froze"));
    harness.advance(DEADLINE);

    assertThat(a.lastFailure()).as("health is DOWN a renew deadline after the last change")
        .hasValueSatisfying(failure -> assertThat(failure).hasMessageContaining("froze"));
    assertThat(a.isLeader()).isFalse();
  }

  private void renewEveryRetryPeriodFor(Duration duration) {
    for (Duration renewed = Duration.ZERO; renewed.compareTo(duration) < 0;
        renewed = renewed.plus(RETRY)) {
      harness.advance(RETRY);
      harness.renewExternally("b");
    }
  }

  @Test
  void deletionSeenOnTheWatchShouldBeTakenAtOnceBehindAHugeLease() {
    harness.lock.putExternally(harness.heldBy("stranger", 3, Duration.ofSeconds(100_000)));
    LeaderElector a = harness.started("a");
    harness.advance(Duration.ofSeconds(5));

    harness.lock.delete();
    harness.scheduler.runDue();

    assertThat(a.isLeader()).isTrue();
    assertThat(harness.listener("a").lastContext().fencingToken()).isEqualTo(4);
  }

  @Test
  void recreationWithoutAHolderSeenOnTheWatchShouldBeTakenAtOnce() {
    harness.lock.putExternally(harness.heldBy("stranger", 3, Duration.ofSeconds(100_000)));
    LeaderElector a = harness.started("a");
    harness.advance(Duration.ofSeconds(5));

    harness.lock.delete();
    harness.lock.putExternally(harness.heldBy("", 0));
    harness.scheduler.runDue();

    assertThat(a.isLeader()).isTrue();
    assertThat(harness.listener("a").lastContext().fencingToken()).isEqualTo(4);
  }

  @Test
  void readOlderThanTheWatchedStateShouldNotMoveTheLeaderBackwards() {
    harness.lock.putExternally(harness.heldBy("b", 3));
    LeaderRecord old = harness.lock.current();
    LeaderElector a = harness.started("a");
    harness.lock.putExternally(harness.heldBy("c", 4));
    harness.scheduler.runDue();
    assertThat(a.leader()).hasValue("c");

    harness.lock.answerNextGetWith(old);
    harness.lock.breakWatches();
    harness.advance(RETRY);

    assertThat(harness.lock.calls()).contains("get");
    assertThat(a.leader()).as("a stale read is not observed").hasValue("c");
    assertThat(harness.listener("a").events()).containsExactly("leader b", "leader c");
    assertThat(a.isLeader()).isFalse();
  }

  @Test
  void releaseSeenOnTheWatchShouldBeAcquiredAtOnceWithoutReadingItAgain() {
    harness.lock.putExternally(harness.heldBy("b", 3));
    LeaderElector a = harness.started("a");
    harness.advance(Duration.ofMillis(5300));
    harness.lock.takeCalls();

    harness.lock.putExternally(harness.heldBy("", 3));
    harness.scheduler.runDue();

    assertThat(a.isLeader()).as("acquired at the instant the release was seen").isTrue();
    assertThat(harness.lock.calls()).as("the watched release is the base of the acquire")
        .containsExactly("update a");
    assertThat(harness.listener("a").events()).endsWith("started 4");
  }

  @Test
  void releaseSeenOnALaggingWatchShouldLoseTheRaceAndFollowTheNewHolder() {
    harness.lock.putExternally(harness.heldBy("b", 3));
    LeaderElector a = harness.started("a");
    harness.advance(Duration.ofMillis(5300));
    harness.lock.takeCalls();

    harness.lock.putExternally(harness.heldBy("", 3));
    harness.lock.holdWatchEvents();
    harness.lock.putExternally(harness.heldBy("c", 4));
    harness.scheduler.runDue();

    assertThat(harness.lock.takeCalls()).as("the acquire from the watched version loses")
        .containsExactly("update a");
    assertThat(a.isLeader()).isFalse();
    assertThat(harness.lock.current().holderIdentity()).isEqualTo("c");

    harness.lock.deliverHeldWatchEvents();
    harness.advance(RETRY.multipliedBy(2));
    assertThat(a.leader()).hasValue("c");
    assertThat(a.isLeader()).isFalse();
    assertThat(harness.lock.calls()).as("c's lease is waited out, not written")
        .noneMatch(call -> call.startsWith("update"));
  }

  @Test
  void releaseFollowedOnTheWatchByANewHolderShouldBeWaitedOutNotAcquired() {
    harness.lock.putExternally(harness.heldBy("b", 3));
    LeaderElector a = harness.started("a");
    harness.advance(Duration.ofMillis(5300));
    harness.lock.takeCalls();

    harness.lock.putExternally(harness.heldBy("", 3));
    harness.lock.putExternally(harness.heldBy("c", 4));
    harness.scheduler.runDue();

    assertThat(harness.lock.calls()).as("the release seen is no longer current: c's lease, "
        + "seen on the watch, is waited out without a request").isEmpty();
    assertThat(a.isLeader()).isFalse();
    assertThat(a.leader()).hasValue("c");
  }

  @Test
  void brokenWatchShouldFallBackToPollingAndStillTakeOverAtExpiry() {
    harness.lock.putExternally(harness.heldBy("b", 3));
    LeaderElector a = harness.started("a");
    harness.lock.takeCalls();

    harness.lock.refuseWatches();
    harness.lock.breakWatches();
    harness.advance(RETRY.multipliedBy(3));
    assertThat(harness.lock.takeCalls()).as("polling every retry period while the watch is down")
        .filteredOn("get"::equals).hasSize(4);

    harness.advance(LEASE.minus(RETRY.multipliedBy(3)).minus(NANO));
    assertThat(a.isLeader()).isFalse();
    harness.advance(NANO);
    assertThat(a.isLeader()).isTrue();
  }

  @Test
  void brokenWatchShouldBeReadAtOnceAndPolledUntilTheLockReconnectsIt() {
    harness.lock.putExternally(harness.heldBy("b", 3));
    LeaderElector a = harness.started("a");
    harness.lock.takeCalls();

    harness.lock.breakWatches();
    harness.advance(RETRY);

    assertThat(harness.lock.takeCalls()).as("a read when it broke, then polling; the lock, not "
        + "the elector, reconnects").contains("get").doesNotContain("watch");
    assertThat(a.watchFailure()).get().asString().contains("watch broken");

    harness.lock.reconnectWatches();
    assertThat(a.watchFailure()).isEmpty();
    renewEveryRetryPeriodFor(LEASE.multipliedBy(2));
    assertThat(harness.lock.calls()).as("healthy again: no more polling").isEmpty();
  }

  @Test
  void leaderShouldSeeAStolenLeaseOnTheWatchAtOnce() {
    LeaderElector a = harness.started("a");
    harness.advance(Duration.ofMillis(700));

    harness.lock.putExternally(harness.heldBy("intruder", 9));
    harness.scheduler.runDue();

    assertThat(a.isLeader()).isFalse();
    assertThat(harness.listener("a").events()).contains("stopped 0 STOLEN");
  }

  @Test
  void recordRecreatedByAnotherHolderShouldBeWaitedOutNotOverwritten() {
    harness.lock.putExternally(harness.heldBy("b", 5));
    LeaderElector c = harness.started("c");
    harness.advance(Duration.ofSeconds(1));
    harness.lock.delete();
    harness.lock.putExternally(harness.heldBy("z", 0));
    harness.scheduler.runDue();

    harness.advance(LEASE.minus(NANO));
    assertThat(c.isLeader()).as("z's fresh lease is waited out").isFalse();
    harness.advance(NANO);

    assertThat(c.isLeader()).isTrue();
    assertThat(harness.listener("c").events())
        .containsExactly("leader b", "leader z", "leader c", "started 6");
  }

  @Test
  void requestedRoundsShouldNeverDoubleTheRenewalsOrOutliveClose() {
    LeaderElector a = harness.started("a");
    for (int i = 0; i < 5; i++) {
      harness.advance(Duration.ofMillis(300));
      harness.lock.breakWatches();
    }
    harness.advance(RETRY);
    harness.lock.takeCalls();

    harness.advance(RETRY.multipliedBy(10));
    assertThat(harness.lock.takeCalls()).as("one renew per retry period")
        .containsOnly("update a").hasSize(10);

    a.closeAsync();
    harness.advance(LEASE);
    assertThat(harness.lock.takeCalls()).containsExactly("update ''");
    harness.advance(LEASE.multipliedBy(4));
    assertThat(harness.lock.calls()).as("nothing after close").isEmpty();
    assertThat(harness.scheduler.pendingTasks()).isZero();
  }

  @Test
  void followersShouldSendNoRequestsAtSteadyStateWhileTheLeaderSendsOnePerRetryPeriod() {
    harness.started("a");
    harness.started("b");
    harness.started("c");
    harness.advance(RETRY);
    harness.lock.takeCalls();

    harness.advance(Duration.ofMinutes(1));

    assertThat(harness.lock.calls()).containsOnly("update a").hasSize(30);
  }
}
