package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Fencing tokens at the {@code int32} limit of {@code leaseTransitions}: never an overflow, never
 * a token that does not grow, and an operator's reset of the record always revives the election.
 */
class FencingTokenLimitTest {

  private static final Duration LEASE = ElectionHarness.TIMINGS.leaseDuration();
  private static final Duration RETRY = ElectionHarness.TIMINGS.retryPeriod();

  private final ElectionHarness harness = new ElectionHarness();

  @Test
  void expiredLeaseAtTheLimitShouldNotBeTakenAndShouldReportWhy() {
    harness.lock.putExternally(harness.heldBy("stranger", Integer.MAX_VALUE));
    LeaderElector a = harness.started("a");

    harness.advance(LEASE.plus(RETRY.multipliedBy(3)));

    assertThat(a.isLeader()).isFalse();
    assertThat(harness.lock.current().holderIdentity()).isEqualTo("stranger");
    assertThat(a.lastFailure()).hasValueSatisfying(failure -> assertThat(failure.getMessage())
        .contains("leaseTransitions is 2147483647")
        .contains("no new term can get a larger fencing token")
        .contains("set spec.leaseTransitions lower"));
  }

  @Test
  void operatorLoweringTheCountAtTheLimitShouldReviveTheElection() {
    harness.lock.putExternally(harness.heldBy("stranger", Integer.MAX_VALUE));
    LeaderElector a = harness.started("a");
    harness.advance(LEASE.plus(RETRY));

    harness.lock.putExternally(harness.heldBy("stranger", 5));
    harness.advance(LEASE.plus(RETRY));

    assertThat(a.isLeader()).isTrue();
    assertThat(harness.listener("a").lastContext().fencingToken()).isEqualTo(6);
    assertThat(a.lastFailure()).isEmpty();
  }

  @Test
  void operatorDeletingTheRecordAtTheLimitShouldReviveTheElection() {
    harness.lock.putExternally(harness.heldBy("stranger", Integer.MAX_VALUE));
    LeaderElector a = harness.started("a");
    harness.advance(LEASE.plus(RETRY));

    harness.lock.delete();
    harness.advance(LEASE.plus(RETRY));

    assertThat(a.isLeader()).isTrue();
    assertThat(harness.listener("a").lastContext().fencingToken()).isZero();
  }

  @Test
  void tokenJustBelowTheLimitShouldStillGrowToTheLimit() {
    harness.lock.putExternally(harness.heldBy("stranger", Integer.MAX_VALUE - 1));
    LeaderElector a = harness.started("a");

    harness.advance(LEASE.plus(RETRY));

    assertThat(a.isLeader()).isTrue();
    assertThat(harness.listener("a").lastContext().fencingToken())
        .isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void deletedRecordBelowTheLimitShouldContinueAboveEveryTokenSeen() {
    harness.lock.putExternally(harness.heldBy("stranger", 41));
    LeaderElector a = harness.started("a");
    harness.advance(Duration.ofSeconds(1));

    harness.lock.delete();
    harness.advance(LEASE.plus(RETRY));

    assertThat(a.isLeader()).isTrue();
    assertThat(harness.listener("a").lastContext().fencingToken()).isEqualTo(42);
  }
}
