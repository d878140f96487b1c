package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.spi.Candidacy;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An elector coordinated by a {@link Candidacy}: it never creates or takes the lock on its own,
 * leads when the record names it, steps down when another is preferred, and withdraws its
 * candidacy before it releases. Driven by the fake ticker and manual scheduler.
 */
class CoordinatedElectionTest {

  private static final Duration RETRY = ElectionHarness.TIMINGS.retryPeriod();
  private static final Duration LEASE = ElectionHarness.TIMINGS.leaseDuration();

  private final ElectionHarness harness = new ElectionHarness();
  private final RecordingCandidacy candidacy = new RecordingCandidacy();

  @BeforeEach
  void coordinate() {
    harness.configure = builder -> builder.coordinatedBy(candidacy);
  }

  @Test
  void startShouldAnnounceTheCandidacy() {
    harness.started("a");

    assertThat(candidacy.calls).containsExactly("announce");
  }

  @Test
  void noRecordShouldNeverBeCreated() {
    LeaderElector a = harness.started("a");
    harness.advance(LEASE.multipliedBy(3));

    assertThat(harness.lock.calls()).containsOnly("get");
    assertThat(harness.lock.calls()).hasSizeGreaterThan(3);
    assertThat(a.isLeader()).isFalse();
  }

  @Test
  void freeOrExpiredRecordOfAnotherShouldNotBeTaken() {
    harness.lock.putExternally(harness.heldBy("b", 4));
    LeaderElector a = harness.started("a");
    harness.advance(LEASE.multipliedBy(3));
    harness.lock.putExternally(harness.heldBy("", 4));
    harness.advance(LEASE.multipliedBy(3));

    assertThat(harness.lock.calls()).containsOnly("get");
    assertThat(a.isLeader()).isFalse();
  }

  @Test
  void recordNamingThisInstanceShouldStartATermWithTheNextToken() {
    harness.lock.putExternally(harness.heldBy("b", 4));
    LeaderElector a = harness.started("a");
    harness.lock.putExternally(harness.heldBy("a", 4));
    harness.advance(RETRY);

    assertThat(a.isLeader()).isTrue();
    assertThat(a.currentTerm().orElseThrow().fencingToken()).isEqualTo(5);
    assertThat(harness.lock.current().holderIdentity()).isEqualTo("a");
    assertThat(harness.lock.current().leaseDuration()).isEqualTo(LEASE);
    harness.advance(RETRY.multipliedBy(3));
    assertThat(a.isLeader()).isTrue();
    assertThat(harness.listener("a").events()).containsExactly("leader b", "leader a",
        "started 5");
  }

  @Test
  void preferredHolderShouldEndTheTermAtOnceAndReleaseWithoutAPreference() {
    harness.lock.putExternally(harness.heldBy("a", 1));
    LeaderElector a = harness.started("a");
    assertThat(a.isLeader()).isTrue();

    harness.lock.putExternally(preferring("b", harness.lock.current()));
    harness.advance(RETRY);

    assertThat(a.isLeader()).isFalse();
    assertThat(harness.listener("a").events()).contains("stopped 2 PREEMPTED");
    LeaderRecord released = harness.lock.current();
    assertThat(released.isHeld()).isFalse();
    assertThat(released.preferredHolder()).isNull();
    harness.advance(LEASE.multipliedBy(2));
    assertThat(a.isLeader()).isFalse();
  }

  @Test
  void preferredHolderShouldBeDeferredToWhateverItsPriority() {
    harness.configure = builder -> builder.coordinatedBy(candidacy).priority(7);
    LeaderRecord named = harness.heldBy("a", 1);
    harness.lock.putExternally(preferring("b", named));
    LeaderElector a = harness.started("a");
    harness.advance(RETRY.multipliedBy(2));

    assertThat(a.isLeader()).isFalse();
    assertThat(harness.lock.calls()).containsOnly("get");
  }

  @Test
  void namingLeftExpiredForADepartedPreferredCandidateShouldBeReleasedNeverLed() {
    harness.lock.putExternally(preferring("b", harness.heldBy("a", 1)));
    candidacy.departed.add("b");
    LeaderElector a = harness.started("a");
    harness.advance(LEASE.minus(RETRY));
    assertThat(harness.lock.calls()).as("before the naming expires").containsOnly("get");

    harness.advance(RETRY.multipliedBy(3));

    LeaderRecord released = harness.lock.current();
    assertThat(released.holderIdentity()).isEmpty();
    assertThat(released.preferredHolder()).isNull();
    assertThat(harness.lock.calls()).containsOnlyOnce("update ''");
    assertThat(candidacy.asked).containsOnly("b");
    assertThat(a.isLeader()).isFalse();
    assertThat(harness.listener("a").events()).noneMatch(event -> event.startsWith("started"));
  }

  @Test
  void namingLeftExpiredForALivePreferredCandidateShouldBeWaitedOnNeverWritten() {
    harness.lock.putExternally(preferring("b", harness.heldBy("a", 1)));
    LeaderElector a = harness.started("a");

    harness.advance(LEASE.multipliedBy(3));

    assertThat(harness.lock.calls()).containsOnly("get");
    assertThat(candidacy.asked).isNotEmpty().containsOnly("b");
    assertThat(harness.lock.current().holderIdentity()).isEqualTo("a");
    assertThat(a.isLeader()).isFalse();
  }

  @Test
  void namingThenRenamedWithoutPreferenceAfterTheReleaseShouldStartATerm() {
    harness.lock.putExternally(preferring("b", harness.heldBy("a", 1)));
    candidacy.departed.add("b");
    LeaderElector a = harness.started("a");
    harness.advance(LEASE.plus(RETRY.multipliedBy(2)));
    assertThat(harness.lock.current().holderIdentity()).isEmpty();

    harness.lock.putExternally(harness.heldBy("a", 1)); // the coordinator chose again
    harness.advance(RETRY);

    assertThat(a.isLeader()).isTrue();
    assertThat(a.currentTerm().orElseThrow().fencingToken()).isEqualTo(2);
  }

  @Test
  void closeShouldWithdrawTheCandidacyBeforeReleasing() {
    harness.lock.putExternally(harness.heldBy("a", 1));
    LeaderElector a = harness.started("a");
    candidacy.lock = harness.lock;

    a.closeAsync();
    harness.scheduler.runDue();

    assertThat(candidacy.calls).containsExactly("announce", "withdraw (holder a)");
    assertThat(harness.lock.current().isHeld()).isFalse();
  }

  @Test
  void pauseShouldStandTheCandidacyAsideBeforeReleasingUntilResumed() {
    harness.lock.putExternally(harness.heldBy("a", 1));
    LeaderElector a = harness.started("a");
    candidacy.lock = harness.lock;

    a.pause();
    harness.scheduler.runDue();
    assertThat(harness.lock.current().isHeld()).isFalse();
    a.resume();

    assertThat(candidacy.calls).containsExactly("announce", "stand aside (holder a)",
        "announce");
  }

  @Test
  void yieldShouldStandTheCandidacyAsideForTheBackOffOnly() {
    harness.lock.putExternally(harness.heldBy("a", 1));
    LeaderElector a = harness.started("a");

    a.yield(RETRY.multipliedBy(3));
    harness.advance(RETRY.multipliedBy(2));
    assertThat(candidacy.calls).containsExactly("announce", "stand aside");
    harness.advance(RETRY.multipliedBy(2));

    assertThat(candidacy.calls).containsExactly("announce", "stand aside", "announce");
  }

  @Test
  void electorPausedBeforeStartShouldNotAnnounceUntilResumed() {
    LeaderElector a = harness.elector("a");
    a.pause();
    a.start();
    assertThat(candidacy.calls).containsExactly("stand aside");

    a.resume();
    assertThat(candidacy.calls).containsExactly("stand aside", "announce");
  }

  private static LeaderRecord preferring(String preferred, LeaderRecord record) {
    return LeaderRecord.builder().holderIdentity(record.holderIdentity())
        .leaseDuration(record.leaseDuration()).acquireTime(record.acquireTime())
        .renewTime(Instant.now()).leaseTransitions(record.leaseTransitions())
        .preferredHolder(new PreferredHolder(preferred, 0)).build();
  }

  /** Records the elector's calls; at withdrawal, notes who held the lock then. */
  private static final class RecordingCandidacy implements Candidacy {

    final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.Set<String> departed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile RecordingLock lock;

    @Override
    public void announce() {
      calls.add("announce");
    }

    @Override
    public void withdraw() {
      calls.add(lock == null ? "withdraw" : "withdraw (holder "
          + lock.current().holderIdentity() + ")");
    }

    @Override
    public void standAside() {
      calls.add(lock == null ? "stand aside" : "stand aside (holder "
          + lock.current().holderIdentity() + ")");
    }

    @Override
    public Optional<LeaseLockException> failure() {
      return Optional.empty();
    }

    @Override
    public String describe() {
      return "recording candidacy";
    }

    @Override
    public boolean isPreferenceStale(String identity) {
      asked.add(identity);
      return departed.contains(identity);
    }
  }
}
