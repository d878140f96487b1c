package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
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
  void etcdRecordAtTheLimitShouldNameItsOwnFieldNotTheLeases() {
    harness.electorsLock = lockOfKind("etcd", "etcd key /leaderelection/x at http://etcd-0:2379");
    harness.lock.putExternally(harness.heldBy("stranger", Integer.MAX_VALUE));
    LeaderElector a = harness.started("a");

    harness.advance(LEASE.plus(RETRY.multipliedBy(3)));

    assertThat(a.isLeader()).isFalse();
    assertThat(a.lastFailure()).hasValueSatisfying(failure -> assertThat(failure.getMessage())
        .startsWith("etcd key /leaderelection/x at http://etcd-0:2379: leaderTransitions is "
            + "2147483647")
        .contains("Delete the key or set leaderTransitions in its record lower")
        .doesNotContain("spec.leaseTransitions"));
  }

  @Test
  void configMapRecordAtTheLimitShouldNameItsAnnotation() {
    harness.electorsLock = lockOfKind("ConfigMap", "ConfigMap default/x");
    harness.lock.putExternally(harness.heldBy("stranger", Integer.MAX_VALUE));
    LeaderElector a = harness.started("a");

    harness.advance(LEASE.plus(RETRY.multipliedBy(3)));

    assertThat(a.lastFailure()).hasValueSatisfying(failure -> assertThat(failure.getMessage())
        .startsWith("ConfigMap default/x: leaderTransitions is 2147483647")
        .contains("set leaderTransitions in its control-plane.alpha.kubernetes.io/leader "
            + "annotation lower")
        .doesNotContain("spec.leaseTransitions"));
  }

  /** The harness's lock, as a lock of another kind names itself. */
  private LeaseLock lockOfKind(String kind, String description) {
    return new ForwardingLeaseLock(harness.lock) {
      @Override
      public LockReference reference() {
        return new LockReference(kind, null, "x");
      }

      @Override
      public String describe() {
        return description;
      }
    };
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
