package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the library does on its own initiative ({@code yield}, {@code pause}/{@code resume},
 * {@code close}) is as safe as faults from outside: a release frees only the term it was asked to
 * release, no term begins while the elector is paused, resting or closed, and close completes
 * after everything it let land is released. After every task, no two electors lead at once.
 */
class ControlSurfaceSafetyTest {

  private static final Duration RETRY = ElectionHarness.TIMINGS.retryPeriod();

  private final ElectionHarness harness = new ElectionHarness();
  private final AsyncLock lock = new AsyncLock(harness.lock);
  private final List<LeaderElector> electors = new ArrayList<>();

  @BeforeEach
  void neverTwoLeaders() {
    harness.electorsLock = lock;
    harness.scheduler.checkAfterEveryTask(() -> assertThat(
        electors.stream().filter(LeaderElector::isLeader).map(LeaderElector::identity))
        .as("electors leading at %s", harness.ticker.elapsed()).hasSizeLessThan(2));
  }

  @Test
  void pauseWhileAFollowUpReadIsInFlightShouldNeitherLeadNorFreeALaterTerm() {
    LeaderElector a = leaderA();
    lock.hold();
    harness.advance(RETRY);
    AsyncLock.Pending renew = lock.next();
    harness.lock.putExternally(harness.lock.current()); // an operator edits the Lease's labels
    renew.respond();
    harness.scheduler.runDue();
    AsyncLock.Pending read = lock.next();
    assertThat(read.name()).as("the renew lost its race: the round reads").isEqualTo("get");

    harness.callbacks.hold(); // leader work takes its time to stop
    CompletableFuture<Boolean> paused = a.pause().toCompletableFuture();
    read.respond();
    harness.scheduler.runDue();
    lock.answerAll();
    harness.scheduler.runDue();
    assertThat(a.isLeader()).as("paused").isFalse();

    harness.callbacks.release();
    harness.scheduler.runDue();
    assertThat(paused).isCompletedWithValue(true);
    assertThat(harness.lock.current().holderIdentity()).as("released").isEmpty();
    LeaderElector b = follower("b");
    harness.advance(RETRY);
    assertThat(b.isLeader()).isTrue();
    assertThat(harness.listener("a").events()).containsExactly("leader a", "started 0",
        "stopped 0 YIELDED");
  }

  @Test
  void resumeBeforeThePausesReleaseShouldKeepTheNewTermHeld() {
    LeaderElector a = leaderA();
    harness.callbacks.hold();
    a.pause();
    a.resume();
    harness.scheduler.runDue();
    assertThat(a.isLeader()).as("resumed: a new term on its own record").isTrue();
    long newToken = a.currentTerm().orElseThrow().fencingToken();

    harness.callbacks.release();
    harness.scheduler.runDue();
    assertThat(harness.lock.current().holderIdentity())
        .as("the late release frees only the term it was asked to release").isEqualTo("a");
    assertThat(harness.lock.current().leaseTransitions()).isEqualTo(newToken);
    LeaderElector b = follower("b");
    harness.advance(RETRY.multipliedBy(3));
    assertThat(b.isLeader()).isFalse();
    assertThat(a.isLeader()).isTrue();
  }

  @Test
  void yieldShorterThanListenersTakeShouldNotFreeTheNextTerm() {
    LeaderElector a = leaderA();
    harness.callbacks.hold();
    a.yield(Duration.ZERO);
    harness.advance(RETRY);
    assertThat(a.isLeader()).as("the back-off is over: a new term").isTrue();

    harness.callbacks.release();
    harness.scheduler.runDue();
    LeaderElector b = follower("b");
    harness.advance(RETRY.multipliedBy(3));
    assertThat(harness.lock.current().holderIdentity()).isEqualTo("a");
    assertThat(b.isLeader()).isFalse();
  }

  @Test
  void pausedFollowerShouldNotAcquireAfterARoundAlreadyUnderWay() {
    harness.lock.putExternally(harness.heldBy("x", 3));
    LeaderElector b = harness.started("b");
    electors.add(b);
    AsyncLock.Pending read = lock.next();
    harness.lock.putExternally(released("x", 3));

    b.pause();
    read.respond();
    harness.scheduler.runDue();

    assertThat(lock.pendingCalls()).as("no acquire while paused").isZero();
    assertThat(b.isLeader()).isFalse();
  }

  @Test
  void acquireInFlightWhenPausedShouldBeReleasedNeverLed() {
    LeaderElector b = harness.started("b");
    electors.add(b);
    lock.next().respond();
    harness.scheduler.runDue();
    AsyncLock.Pending create = lock.next();
    assertThat(create.name()).isEqualTo("create");

    b.pause();
    create.respond();
    lock.answerAll();
    harness.scheduler.runDue();

    assertThat(b.isLeader()).isFalse();
    assertThat(harness.listener("b").events()).as("never led").doesNotContain("started 0");
    assertThat(harness.lock.current().holderIdentity()).as("released").isEmpty();
  }

  @Test
  void closeShouldCompleteOnlyAfterAnAcquireItLetLandIsReleased() {
    LeaderElector b = harness.started("b");
    electors.add(b);
    lock.next().respond();
    harness.scheduler.runDue();
    AsyncLock.Pending create = lock.next();

    CompletableFuture<Void> closed = b.closeAsync().toCompletableFuture();
    harness.scheduler.runDue();
    assertThat(closed).as("the acquire is still in flight").isNotDone();
    create.respond();
    harness.scheduler.runDue();
    AsyncLock.Pending release = lock.next();
    assertThat(release.name()).isEqualTo("update");
    assertThat(closed).as("the release is still in flight").isNotDone();

    release.respond();
    harness.scheduler.runDue();
    assertThat(closed).isCompleted();
    assertThat(harness.lock.current().holderIdentity()).isEmpty();
  }

  @Test
  void renewLosingItsRaceAfterCloseShouldSendNoRead() {
    LeaderElector a = leaderA();
    lock.hold();
    harness.advance(RETRY);
    AsyncLock.Pending renew = lock.next();

    CompletableFuture<Void> closed = a.closeAsync().toCompletableFuture();
    harness.scheduler.runDue();
    assertThat(lock.pendingCalls()).as("the release").isEqualTo(1);
    harness.lock.putExternally(harness.lock.current()); // the renew loses its race
    renew.respond();
    harness.scheduler.runDue();

    assertThat(lock.pendingCalls()).as("nothing but the release is sent after close")
        .isEqualTo(1);
    lock.answerAll();
    harness.scheduler.runDue();
    assertThat(closed).isCompleted();
    assertThat(harness.lock.current().holderIdentity()).isEmpty();
  }

  /** "a", leading term 0 on a lock that answers at once. */
  private LeaderElector leaderA() {
    lock.answerAll();
    LeaderElector a = harness.started("a");
    electors.add(a);
    assertThat(a.isLeader()).isTrue();
    return a;
  }

  /** A follower on the lock itself, so the test's holds apply to "a" alone. */
  private LeaderElector follower(String identity) {
    harness.electorsLock = harness.lock;
    LeaderElector follower = harness.elector(identity);
    electors.add(follower);
    follower.start();
    harness.scheduler.runDue();
    return follower;
  }

  private LeaderRecord released(String holder, int transitions) {
    return LeaderRecord.builder().holderIdentity("").leaseDuration(Duration.ofSeconds(1))
        .leaseTransitions(transitions).build();
  }
}
