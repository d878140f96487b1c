package dev.leaderelection.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.watch.SharedWatchesIT;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The elector as a user with too few and with exactly enough RBAC permissions. */
class RbacIT extends RealApiServerTest {

  private static final String LEASE = "rbac-lease";


  @Test
  void userWithoutUpdateOnLeasesShouldNeverLeadAndBeToldTheMissingVerb() {
    grant("no-update", "no-update-user", """
        [{"apiGroups":["coordination.k8s.io"],"resources":["leases"],
          "verbs":["get","list","watch","create"]}]""");
    server.raw("POST", "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases", """
        {"metadata":{"name":"rbac-lease"},"spec":{"holderIdentity":"","leaseDurationSeconds":1}}
        """);

    LeaderElector elector = fixture.start("no-update-user", lockAs("no-update-user"),
        UnaryOperator.identity());

    LeaseLockException failure = await().atMost(Duration.ofSeconds(10))
        .until(() -> elector.lastFailure().orElse(null), error -> error != null);
    assertThat(failure).isInstanceOf(KubernetesApiException.class);
    KubernetesApiException refused = (KubernetesApiException) failure;
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.isForbidden()).isTrue();
    assertThat(refused.verb()).isEqualTo("update");
    assertThat(refused.resource()).isEqualTo("leases.coordination.k8s.io");
    assertThat(refused.getMessage()).contains("refused to update",
        "Grant the verb 'update' on 'leases' in API group 'coordination.k8s.io'");
    await().during(ElectorFixture.TIMINGS.retryPeriod().multipliedBy(4))
        .atMost(Duration.ofSeconds(5)).until(() -> !elector.isLeader());
  }

  @Test
  void userWithReadOnlyAccessShouldBeToldEveryMissingVerbAtOnce() {
    grant("read-only", "read-only-user", """
        [{"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["get"]}]""");

    LeaderElector elector = fixture.start("read-only-user", lockAs("read-only-user"),
        UnaryOperator.identity());

    LeaseLockException failure = await().atMost(Duration.ofSeconds(10))
        .until(() -> elector.lastFailure().orElse(null), error -> error != null);
    assertThat(failure.getMessage()).contains("refused to create",
        "Grant the verbs 'create', 'update' and 'watch' on 'leases' in API group "
            + "'coordination.k8s.io' in namespace '" + namespace + "'");
  }

  @Test
  void namespaceBeingDeletedShouldNotBeBlamedOnRbac() {
    String doomed = server.createNamespace("doomed");
    server.raw("DELETE", "/api/v1/namespaces/" + doomed, null);
    LeaseLock lock = fixture.lease(server.adminClient(), doomed, LEASE);

    LeaderElector elector = fixture.start("admin", lock, UnaryOperator.identity());

    LeaseLockException failure = await().atMost(Duration.ofSeconds(10))
        .until(() -> elector.lastFailure().orElse(null), error -> error != null);
    assertThat(failure.getMessage())
        .contains("namespace '" + doomed + "' is being deleted", "no permission is missing")
        .doesNotContain("Grant");
  }

  @Test
  void leastPrivilegeRoleFromTheReadmeShouldBeEnough() throws Exception {
    grant("leader-election", "elector-user", """
        [{"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["create"]},
         {"apiGroups":["coordination.k8s.io"],"resources":["leases"],
          "resourceNames":["rbac-lease"],"verbs":["get","update","watch"]}]""");

    LeaderElector elector = fixture.start("elector-user", lockAs("elector-user"),
        UnaryOperator.identity());

    await().atMost(Duration.ofSeconds(10)).until(elector::isLeader);
    await().during(ElectorFixture.TIMINGS.retryPeriod().multipliedBy(4))
        .atMost(Duration.ofSeconds(5)).until(elector::isLeader);
    List<Optional<LeaderRecord>> seen = new CopyOnWriteArrayList<>();
    try (AutoCloseable watch = lockAs("elector-user").watch(new RecordWatcher() {
      @Override
      public void changed(Optional<LeaderRecord> record) {
        seen.add(record);
      }

      @Override
      public void broken(LeaseLockException cause) {
        seen.add(Optional.empty());
      }
    }).orElseThrow()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
      assertThat(seen.get(0)).as("the watch the Role allows").get()
          .extracting(LeaderRecord::holderIdentity).isEqualTo("elector-user");
    }
    elector.close();
    assertThat(elector.lastFailure()).isEmpty();
    assertThat(fixture.releasedNanos("elector-user")).isPresent();
  }

  @Test
  void roleWithNamedWatchesOnlyShouldGiveEachLeaseAWatchOfItsOwn() throws Exception {
    grant("named-watches", "named-user", """
        [{"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["create"]},
         {"apiGroups":["coordination.k8s.io"],"resources":["leases"],
          "resourceNames":["named-0","named-1"],"verbs":["get","update","watch"]}]""");
    ApiClient client = server.clientAs("named-user");
    List<SharedWatchesIT.Changes> changes = new ArrayList<>();
    List<AutoCloseable> watches = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        LeaseLock lock = fixture.lease(client, namespace, "named-" + i);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        lock.create(LeaderRecord.builder().holderIdentity("holder-" + i)
            .leaseDuration(Duration.ofSeconds(15)).acquireTime(now).renewTime(now).build());
        SharedWatchesIT.Changes seen = new SharedWatchesIT.Changes();
        watches.add(lock.watch(seen).orElseThrow());
        changes.add(seen);
      }

      for (int i = 0; i < 2; i++) {
        SharedWatchesIT.Changes seen = changes.get(i);
        String holder = "holder-" + i;
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.holders().contains(holder));
        assertThat(seen.broken).isEmpty();
      }
      assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
          .filter(name -> name.startsWith("leader-election-watch") && name.contains(namespace)))
          .as("one watch per Lease, as the Role allows no watch on the namespace")
          .containsExactlyInAnyOrder(
              "leader-election-watch leases.coordination.k8s.io " + namespace + "/named-0",
              "leader-election-watch leases.coordination.k8s.io " + namespace + "/named-1");
    } finally {
      for (AutoCloseable watch : watches) {
        watch.close();
      }
    }
  }

  private LeaseLock lockAs(String user) {
    return fixture.lease(server.clientAs(user), namespace, LEASE);
  }
}
