package dev.leaderelection.spring.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.ManualElections;
import dev.leaderelection.TestRecordingLock;
import dev.leaderelection.kubernetes.KubernetesFailures;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one election: what operators must be told, UP and every kind of DOWN. Electors
 * run on the core's fake ticker and manual scheduler: time moves only when a test moves it.
 */
class LeaderElectionHealthIndicatorTests {

  private static final LeaseTimings FAST =
      LeaseTimings.of(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(200));

  private final ManualElections time = new ManualElections();
  private LeaderElector elector;

  @AfterEach
  void close() {
    if (elector != null) {
      elector.closeAsync();
      time.advance(elector.timings().leaseDuration());
    }
  }

  @Test
  void leaderShouldBeUpWithItsRoleLeaseAndLastRenew() {
    start(new InMemoryLeaseLock("reports"), LeaseTimings.DEFAULTS);

    Health health = health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("role", "LEADER")
        .containsEntry("identity", "me")
        .containsEntry("leader", "me")
        .containsEntry("lease", "in-memory lock reports")
        .containsEntry("transitions", 0)
        .containsEntry("lastRenew", time.now().toString())
        .doesNotContainKeys("error", "warning", "watch");
  }

  @Test
  void contributorsDetailsShouldBeShownWithoutTurningHealthDown() {
    start(new InMemoryLeaseLock("reports"), LeaseTimings.DEFAULTS);

    Health health = new LeaderElectionHealthIndicator(() -> elector, null,
        () -> java.util.Map.of("events", "Could not record an Event")).health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("events", "Could not record an Event")
        .containsEntry("role", "LEADER");
  }

  @Test
  void followerShouldBeUpNamingTheLeader() {
    InMemoryLeaseLock lock = new InMemoryLeaseLock("reports");
    lock.create(held("other", Duration.ofSeconds(15), 3));
    start(lock, LeaseTimings.DEFAULTS);

    Health health = health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("role", "FOLLOWER")
        .containsEntry("leader", "other")
        .containsEntry("transitions", 3);
  }

  @Test
  void strangerHoldingAHugeLeaseShouldBeNamedInTheDetails() {
    InMemoryLeaseLock lock = new InMemoryLeaseLock("reports");
    lock.create(held("stranger", Duration.ofSeconds(100_000), 3));
    start(lock, LeaseTimings.DEFAULTS);

    Health health = health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails().get("warning")).asString()
        .contains("'stranger' holds in-memory lock reports for 100000s, far longer than this "
            + "election's 15s")
        .contains("delete the lock object to hand over at once");
  }

  @Test
  void ordinaryLeaderShouldNotBeWarnedAbout() {
    InMemoryLeaseLock lock = new InMemoryLeaseLock("reports");
    lock.create(held("other", Duration.ofSeconds(15), 3));
    start(lock, LeaseTimings.DEFAULTS);

    assertThat(health().getDetails()).doesNotContainKey("warning");
  }

  @Test
  void refusedWatchShouldSayThatFollowersPoll() {
    TestRecordingLock unwatchable = new TestRecordingLock();
    unwatchable.putExternally(held("other", Duration.ofSeconds(15), 3));
    unwatchable.refuseWatches(new LeaseLockException("watch on leases is forbidden"));
    start(unwatchable, LeaseTimings.DEFAULTS);
    time.advance(LeaseTimings.DEFAULTS.retryPeriod());
    assertThat(elector.watchFailure()).isPresent();

    Health health = health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails().get("watch"))
        .isEqualTo("polling every 2s (watch on leases is forbidden)");
  }

  @Test
  void failedLockCallShouldBeUpWithTheErrorUntilItLastedARenewDeadlineThenDown() {
    TestRecordingLock lock = new TestRecordingLock();
    lock.failGets(new LeaseLockException("store unreachable"));
    start(lock, FAST);

    Health within = health();
    time.advance(FAST.renewDeadline());
    Health past = health();

    assertThat(within.getStatus()).as("one failed round is tolerated").isEqualTo(Status.UP);
    assertThat(within.getDetails()).containsEntry("error", "store unreachable")
        .containsEntry("failingFor", "0s");
    assertThat(past.getStatus()).isEqualTo(Status.DOWN);
    assertThat(past.getDetails()).containsEntry("error", "store unreachable")
        .containsEntry("failingFor", "1s")
        .containsEntry("role", "CANDIDATE")
        .doesNotContainKeys("status", "reason", "refused");
  }

  @Test
  void configuredFailureToleranceShouldDecideWhenAFailureTurnsHealthDown() {
    TestRecordingLock lock = new TestRecordingLock();
    lock.failGets(new LeaseLockException("store unreachable"));
    start(lock, FAST);
    time.advance(Duration.ofSeconds(4));

    assertThat(health(Duration.ZERO).getStatus()).isEqualTo(Status.DOWN);
    assertThat(health(Duration.ofSeconds(5)).getStatus()).isEqualTo(Status.UP);
    time.advance(Duration.ofSeconds(1));
    assertThat(health(Duration.ofSeconds(5)).getStatus()).isEqualTo(Status.DOWN);
  }

  @Test
  void failureShouldKeepHealthDownUntilTheLockAnswersAgain() {
    TestRecordingLock lock = new TestRecordingLock();
    lock.failGets(new LeaseLockException("store unreachable"));
    start(lock, FAST);
    time.advance(FAST.leaseDuration());
    assertThat(health().getStatus()).isEqualTo(Status.DOWN);

    lock.failGets(null);
    time.advance(FAST.retryPeriod());

    assertThat(health().getStatus()).isEqualTo(Status.UP);
    assertThat(health().getDetails()).containsEntry("role", "LEADER")
        .doesNotContainKey("error");
  }

  @Test
  void forbiddenLeaseShouldBeDownNamingTheRefusedVerbAndResource() {
    TestRecordingLock lock = new TestRecordingLock();
    lock.failGets(KubernetesFailures.forbiddenLeaseGet("team-a", "my-app"));
    start(lock, FAST);
    time.advance(FAST.renewDeadline());

    Health health = health();

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("status", 403)
        .containsEntry("reason", "Forbidden")
        .containsEntry("refused", "get leases.coordination.k8s.io");
    assertThat(health.getDetails().get("error")).asString()
        .contains("HTTP 403 Forbidden")
        .contains("Grant the verb 'get' on 'leases' in API group 'coordination.k8s.io'");
  }

  @Test
  void fencingTokenAtItsLimitShouldBeDownWithTheRepair() {
    InMemoryLeaseLock lock = new InMemoryLeaseLock("reports");
    lock.create(held("stranger", Duration.ofSeconds(1), Integer.MAX_VALUE));
    start(lock, FAST);
    time.advance(FAST.leaseDuration());
    assertThat(elector.lastFailure()).isPresent();

    Health health = health();

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails().get("error")).asString()
        .contains("leaseTransitions is 2147483647")
        .contains("set spec.leaseTransitions lower");
    assertThat(elector.isLeader()).isFalse();
  }

  /** The indicator tolerates one lease duration past the lease before calling a leader stuck. */
  @Test
  void stuckLeaderShouldBeDownOnceTheLeaseAndTheToleranceHavePassed() {
    start(new InMemoryLeaseLock("reports"), LeaseTimings.DEFAULTS);
    Duration leaseAndTolerance = LeaseTimings.DEFAULTS.leaseDuration().multipliedBy(2);
    time.stall(leaseAndTolerance);
    assertThat(health().getDetails()).doesNotContainKey("error");

    time.stall(Duration.ofMillis(1));
    Health health = health();

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails().get("error")).asString()
        .contains("me still acts as leader of in-memory lock reports")
        .contains("the election loop is stuck");
  }

  private void start(LeaseLock lock, LeaseTimings timings) {
    elector = time.start(time.builder(lock, "me").timings(timings));
  }

  private Health health() {
    return new LeaderElectionHealthIndicator(() -> elector, null).health();
  }

  private Health health(Duration failureTolerance) {
    return new LeaderElectionHealthIndicator(() -> elector, failureTolerance).health();
  }

  private LeaderRecord held(String holder, Duration lease, int transitions) {
    Instant now = time.now();
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(lease).acquireTime(now)
        .renewTime(now).leaseTransitions(transitions).build();
  }
}
