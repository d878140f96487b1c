package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Elections on a lock whose calls answer later, without holding a thread: a round goes on where
 * the answer arrives, a call that never answers cannot keep a term past its deadline or stop the
 * election, and close cancels what it no longer needs.
 */
class AsyncLockCallsTest {

  private static final Duration RETRY = ElectionHarness.TIMINGS.retryPeriod();
  private static final Duration DEADLINE = ElectionHarness.TIMINGS.renewDeadline();
  private static final Duration NANO = Duration.ofNanos(1);

  private final ElectionHarness harness = new ElectionHarness();
  private final AsyncLock lock = new AsyncLock(harness.lock);

  AsyncLockCallsTest() {
    harness.electorsLock = lock;
  }

  @Test
  void answerShouldBeTakenUpOnTheLockCallExecutorNotOnTheLocksThread() {
    LeaderElector a = harness.started("a");
    AsyncLock.Pending read = lock.next();
    assertThat(read.name()).isEqualTo("get");

    read.respond();
    assertThat(lock.pendingCalls()).as("nothing goes on on the thread that answered").isZero();

    harness.scheduler.runDue();
    AsyncLock.Pending create = lock.next();
    assertThat(create.name()).isEqualTo("create");
    create.respond();
    harness.scheduler.runDue();
    assertThat(a.isLeader()).isTrue();
    assertThat(harness.listener("a").events()).containsExactly("leader a", "started 0");
  }

  @Test
  void renewNeverAnsweredShouldEndTheTermAtItsDeadlineThenBeCancelled() {
    LeaderElector a = leaderOfOneRetryPeriod();
    AsyncLock.Pending renew = lock.next();
    assertThat(renew.name()).isEqualTo("update");

    harness.advance(DEADLINE.minus(RETRY).minus(NANO));
    assertThat(a.isLeader()).isTrue();
    harness.advance(NANO);
    assertThat(a.isLeader()).as("the deadline, not the call, ends the term").isFalse();
    assertThat(renew.future()).isNotDone();

    harness.advance(RETRY.minus(NANO));
    assertThat(renew.future()).isNotDone();
    harness.advance(NANO);
    assertThat(renew.future()).as("cancelled a renew deadline after it was sent").isCancelled();
    assertThat(a.lastFailure()).get().asString().contains("did not answer within the renew deadline");

    harness.advance(RETRY);
    AsyncLock.Pending read = lock.next();
    assertThat(read.name()).as("the election goes on").isEqualTo("get");
    lock.answerAll();
    read.respond();
    harness.scheduler.runDue();
    assertThat(harness.listener("a").events()).containsExactly("leader a", "started 0",
        "stopped 0 RENEW_DEADLINE_EXCEEDED", "started 1");
    assertThat(a.isLeader()).isTrue();
  }

  @Test
  void renewAnsweredAfterTheDeadlineShouldNotReviveTheTerm() {
    LeaderElector a = leaderOfOneRetryPeriod();
    AsyncLock.Pending renew = lock.next();
    harness.advance(DEADLINE.minus(RETRY));
    assertThat(a.isLeader()).isFalse();

    renew.respond();
    harness.scheduler.runDue();
    assertThat(a.isLeader()).as("an answer sent before the deadline but heard after it")
        .isFalse();

    lock.answerAll();
    harness.advance(RETRY);
    assertThat(a.isLeader()).isTrue();
    assertThat(harness.listener("a").events()).containsExactly("leader a", "started 0",
        "stopped 0 RENEW_DEADLINE_EXCEEDED", "started 1");
  }

  @Test
  void lockAnsweringNullLaterShouldFailTheRoundNotStopTheElection() {
    AsyncLock answersNull = new AsyncLock(new ForwardingLeaseLock(harness.lock) {
      @Override
      public LeaderRecord update(LeaderRecord record) {
        return null;
      }
    });
    harness.electorsLock = answersNull;
    answersNull.answerAll();
    harness.started("a");
    answersNull.hold();
    harness.advance(RETRY);
    answersNull.next().respond();
    harness.scheduler.runDue();

    harness.advance(RETRY);
    assertThat(answersNull.pendingCalls()).as("the next round's call").isEqualTo(1);
  }

  @Test
  void closeShouldCancelAReadInFlightAndWriteNothing() {
    harness.lock.putExternally(harness.heldBy("b", 0));
    LeaderElector a = harness.started("a");
    AsyncLock.Pending read = lock.next();

    CompletableFuture<Void> closed = a.closeAsync().toCompletableFuture();
    harness.scheduler.runDue();

    assertThat(read.future()).isCancelled();
    assertThat(closed).isCompleted();
    harness.advance(DEADLINE.multipliedBy(2));
    assertThat(lock.pendingCalls()).isZero();
    assertThat(harness.lock.calls()).as("no call reached the store").isEmpty();
  }

  @Test
  void closeShouldLetAnAcquireInFlightLandAndReleaseIt() {
    LeaderElector a = harness.started("a");
    lock.next().respond();
    harness.scheduler.runDue();
    AsyncLock.Pending create = lock.next();

    CompletableFuture<Void> closed = a.closeAsync().toCompletableFuture();
    harness.scheduler.runDue();
    assertThat(create.future()).isNotDone();
    create.respond();
    lock.answerAll();
    harness.scheduler.runDue();

    assertThat(closed).isCompleted();
    assertThat(harness.lock.current().holderIdentity()).as("released").isEmpty();
    assertThat(harness.listener("a").events()).containsExactly("leader a");
  }

  @Test
  void closeWhileLeadingShouldReleaseAndReReadAfterALostRaceUncancelled() {
    lock.answerAll();
    LeaderElector a = harness.started("a");
    lock.hold();
    harness.renewExternally("a");

    CompletableFuture<Void> closed = a.closeAsync().toCompletableFuture();
    harness.scheduler.runDue();
    AsyncLock.Pending release = lock.next();
    assertThat(release.name()).isEqualTo("update");
    release.respond();
    harness.scheduler.runDue();
    AsyncLock.Pending reread = lock.next();
    assertThat(reread.name()).as("the record changed: read once").isEqualTo("get");
    assertThat(closed).isNotDone();

    reread.respond();
    harness.scheduler.runDue();
    lock.next().respond();
    harness.scheduler.runDue();

    assertThat(closed).isCompleted();
    assertThat(harness.lock.current().holderIdentity()).as("released").isEmpty();
  }

  @Test
  void callsWaitingForTheirLockShouldHoldNoLockCallThread() {
    try (ElectionThreads threads = ElectionThreads.create(1)) {
      List<LeaderElector> waiting = IntStream.range(0, 50)
          .mapToObj(i -> LeaderElector.builder(new AsyncLock(new InMemoryLeaseLock("silent-" + i)),
              "a").threads(threads).build())
          .toList();
      waiting.forEach(LeaderElector::start);
      try (LeaderElector answered = LeaderElector.builder(new InMemoryLeaseLock("answers"), "a")
          .threads(threads).build()) {
        answered.start();

        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(answered::isLeader);
      } finally {
        waiting.forEach(LeaderElector::close);
      }
    }
  }

  /** "a", which led at once and has just sent its first renewal, still pending. */
  private LeaderElector leaderOfOneRetryPeriod() {
    lock.answerAll();
    LeaderElector a = harness.started("a");
    lock.hold();
    harness.advance(RETRY);
    return a;
  }
}
