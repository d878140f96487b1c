package dev.leaderelection.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spi.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A rolling update from electors on a ConfigMap (or Endpoints) lock in client-go's format to
 * electors on the migrating lock, then to the Lease alone, on a real API server: at no sampled
 * moment do two electors lead, and leadership moves on at every step.
 */
class MigrationIT extends RealApiServerTest {

  private static final String NAME = "migrate";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void rollingUpdateFromAConfigMapLockToALeaseShouldNeverHaveTwoLeaders() throws Exception {
    rollingUpdate(locks -> locks.configMap(namespace, NAME, ElectorFixture.REQUEST_TIMEOUT));
  }

  @Test
  void rollingUpdateFromAnEndpointsLockToALeaseShouldNeverHaveTwoLeaders() throws Exception {
    rollingUpdate(locks -> locks.endpoints(namespace, NAME, ElectorFixture.REQUEST_TIMEOUT));
  }

  private void rollingUpdate(java.util.function.Function<KubernetesLocks, LeaseLock> oldLock)
      throws Exception {
    ApiClient admin = server.adminClient();
    KubernetesLocks locks = fixture.locks(admin);
    List<String> overlaps = new CopyOnWriteArrayList<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> {
      List<LeaderElector> leaders = fixture.leaders();
      if (leaders.size() > 1) {
        overlaps.add(leaders.stream().map(LeaderElector::identity).toList().toString());
      }
    }, 0, 10, TimeUnit.MILLISECONDS);
    try {
      LeaderElector old1 = fixture.start("old-1", oldLock.apply(locks), UnaryOperator.identity());
      await().atMost(WAIT).until(old1::isLeader);
      LeaderElector old2 = fixture.start("old-2", oldLock.apply(locks), UnaryOperator.identity());
      LeaderElector new1 = fixture.start("new-1", migrating(locks, oldLock),
          UnaryOperator.identity());
      await().during(ElectorFixture.TIMINGS.leaseDuration()).atMost(WAIT)
          .until(() -> old1.isLeader() && !new1.isLeader() && !old2.isLeader());

      old1.close();
      await().atMost(WAIT).until(() -> old2.isLeader() || new1.isLeader());
      LeaderElector new2 = fixture.start("new-2", migrating(locks, oldLock),
          UnaryOperator.identity());
      old2.close();
      await().atMost(WAIT).until(() -> new1.isLeader() || new2.isLeader());

      LeaderElector lease1 = fixture.start("lease-1", locks.lease(namespace, NAME,
          ElectorFixture.REQUEST_TIMEOUT), UnaryOperator.identity());
      new1.close();
      await().atMost(WAIT).until(() -> new2.isLeader() || lease1.isLeader());
      new2.close();
      await().atMost(WAIT).until(lease1::isLeader);
    } finally {
      sampler.shutdownNow();
    }

    assertThat(overlaps).as("moments with two leaders").isEmpty();
  }

  private LeaseLock migrating(KubernetesLocks locks,
      java.util.function.Function<KubernetesLocks, LeaseLock> oldLock) {
    return locks.migrating(oldLock.apply(locks),
        locks.lease(namespace, NAME, ElectorFixture.REQUEST_TIMEOUT));
  }
}
