package dev.leaderelection.internal.election;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.FakeTicker;
import dev.leaderelection.HoldingExecutor;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.ManualScheduler;
import dev.leaderelection.RecordingListener;
import dev.leaderelection.RecordingLock;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Preference claims, hand-over after the listeners, and a release that touches only its own. */
class HandOverTest {

  private final FakeTicker ticker = new FakeTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final RecordingLock lock = new RecordingLock();
  private final HoldingExecutor callbacks = new HoldingExecutor(scheduler);
  private final RecordingListener listener = new RecordingListener();
  private final ListenerDispatcher listeners = new ListenerDispatcher(List.of(listener),
      callbacks);
  private final ElectionConfig config = TestConfig.of(lock, ticker, scheduler, Runnable::run);
  private final List<LeaderRecord> observed = new ArrayList<>();
  private final List<Duration> rounds = new ArrayList<>();
  private final RoundScheduler roundScheduler = new RoundScheduler(config, () -> {
    rounds.add(ticker.elapsed());
    return CompletableFuture.completedFuture(NextRound.afterHandOver());
  });
  private final HandOver handOver = new HandOver(config, new LockCalls(lock, config, roundScheduler),
      new ElectionRecords("me", Duration.ofSeconds(15), 5, ticker.clock()), listeners,
      roundScheduler, observed::add);

  @Test
  void releaseShouldFreeTheLeaseWithAOneSecondDurationAndKeepItsHistory() {
    LeaderRecord held = lock.putExternally(record("me", 5, null));

    handOver.release(held);

    LeaderRecord released = lock.current();
    assertThat(released.holderIdentity()).isEmpty();
    assertThat(released.leaseDuration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(released.leaseTransitions()).isEqualTo(held.leaseTransitions());
    assertThat(observed).containsExactly(released);
  }

  @Test
  void releaseShouldReadOnceAfterALostRaceAndLeaveAnotherHoldersLeaseAlone() {
    LeaderRecord held = lock.putExternally(record("me", 5, null));
    lock.putExternally(record("b", 9, null));
    lock.takeCalls();

    handOver.release(held);

    assertThat(lock.takeCalls()).containsExactly("update ''", "get");
    assertThat(lock.current().holderIdentity()).isEqualTo("b");
  }

  @Test
  void releaseShouldLeaveALaterTermOfThisInstanceAlone() {
    LeaderRecord held = lock.putExternally(record("me", 5, null));
    LeaderRecord later = lock.putExternally(LeaderRecord.builder().holderIdentity("me")
        .leaseDuration(Duration.ofSeconds(15)).leaseTransitions(held.leaseTransitions() + 1)
        .holderPriority(5).build());
    lock.takeCalls();

    handOver.release(held);

    assertThat(lock.takeCalls()).containsExactly("update ''", "get");
    assertThat(lock.current()).as("the term it was asked to release has ended").isEqualTo(later);
  }

  @Test
  void followerShouldAskForPreferenceOnlyWhenItOutranksTheHolder() {
    LeaderRecord lower = lock.putExternally(record("b", 1, null));
    assertThat(handOver.claimIfOutranking(lower).join()).isTrue();
    assertThat(lock.current().preferredHolder()).isEqualTo(new PreferredHolder("me", 5));

    LeaderRecord higher = lock.putExternally(record("c", 9, null));
    lock.takeCalls();
    assertThat(handOver.claimIfOutranking(higher).join()).isTrue();
    assertThat(lock.takeCalls()).as("no claim above its priority").isEmpty();
  }

  @Test
  void handOverShouldReleaseOnlyAfterTheListenersThenScheduleTheNextRound() {
    LeaderRecord held = lock.putExternally(record("me", 5, new PreferredHolder("b", 9)));
    roundScheduler.start(() -> { });
    scheduler.runDue();
    rounds.clear();
    callbacks.hold();
    listeners.post(ListenerDispatcher.newLeader("me"));
    listeners.flush();
    lock.takeCalls();

    handOver.handOver(held, () -> { });
    CompletableFuture<Void> inProgress = handOver.releasesDone();
    scheduler.runDue();
    assertThat(lock.calls()).as("listeners still busy").isEmpty();

    callbacks.release();
    scheduler.runDue();
    assertThat(lock.takeCalls()).as("released, still preferring b")
        .containsExactly("update '' preferring b");
    assertThat(inProgress).isDone();
    scheduler.advance(LeaseTimings.DEFAULTS.retryPeriod());
    assertThat(rounds).hasSize(1);
  }

  private LeaderRecord record(String holder, int priority, PreferredHolder preferred) {
    Instant now = ticker.clock().instant();
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(Duration.ofSeconds(15))
        .acquireTime(now).renewTime(now).leaseTransitions(3).holderPriority(priority)
        .preferredHolder(preferred).build();
  }
}
