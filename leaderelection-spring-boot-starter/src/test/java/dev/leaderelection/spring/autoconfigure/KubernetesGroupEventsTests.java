package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.InMemoryGroupMembership;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
import dev.leaderelection.spring.LeaseLockFactory;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Kubernetes Events for the moves of sharded groups from properties: which groups record them,
 * and a recording that fails shown in the group's health while the group goes on. The shards are
 * held in memory on locks that name Leases, and the API server is unreachable.
 */
class KubernetesGroupEventsTests {

  private final ApplicationContextRunner kubernetes = StarterContexts.bare()
      .withBean(ApiClient.class, () -> new ApiClient().setBasePath("http://127.0.0.1:1"))
      .withBean(LeaseLockFactory.class, LeasesInMemory::new)
      .withPropertyValues("leader-election.lock=" + LeasesInMemory.NAME,
          "leader-election.kubernetes.namespace=jobs", "leader-election.identity=replica-a",
          "leader-election.groups.tenants.shards=2");
  private final ApplicationContextRunner twoGroups = kubernetes
      .withPropertyValues("leader-election.groups.orders.shards=2");

  @Test
  void groupsOnLeasesShouldRecordEventsUnlessTurnedOff() {
    twoGroups.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(KubernetesGroupEventsContributor.class);
      assertThat(context.getBean(KubernetesGroupEventsContributor.class).recording())
          .containsExactlyInAnyOrder("tenants", "orders");
    });
    twoGroups.withPropertyValues("leader-election.kubernetes.events.enabled=false")
        .run(context -> assertThat(context.getBean(KubernetesGroupEventsContributor.class)
            .recording()).as("inherited by every group").isEmpty());
    twoGroups.withPropertyValues("leader-election.kubernetes.events.enabled=false",
            "leader-election.groups.orders.kubernetes.events.enabled=true")
        .run(context -> assertThat(context.getBean(KubernetesGroupEventsContributor.class)
            .recording()).containsExactly("orders"));
  }

  @Test
  void groupsOnLocksThatAreNoKubernetesObjectShouldRecordNone() {
    kubernetes.withPropertyValues("leader-election.lock=in-memory").run(context ->
        assertThat(context.getBean(KubernetesGroupEventsContributor.class).recording())
            .isEmpty());
    StarterContexts.bare().withPropertyValues("leader-election.lock=in-memory",
            "leader-election.groups.tenants.shards=2")
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(KubernetesGroupEventsContributor.class));
  }

  @Test
  void unreachableApiServerShouldShowInTheGroupsHealthAndNotStopIt() {
    kubernetes.run(context -> {
          ShardGroup tenants = context.getBean("tenantsShardGroup", ShardGroup.class);
          HealthIndicator health = context.getBean("leaderElectionHealthContributor",
              HealthIndicator.class);
          await().atMost(Duration.ofSeconds(20))
              .until(() -> health.health().getDetails().containsKey("events"));

          Health shown = health.health();

          assertThat(shown.getStatus()).isEqualTo(Status.UP);
          assertThat((String) shown.getDetails().get("events"))
              .startsWith("Could not record an Event about the Leases of the shards of group "
                  + "tenants in namespace jobs")
              .contains("could not be reached");
          assertThat(tenants.ownedShards()).containsExactly(0, 1);
        });
  }

  /**
   * A backend ({@code lock=leases-in-memory}) whose locks are held in memory and name Leases in
   * their namespace, as the Kubernetes backend's do.
   */
  static final class LeasesInMemory implements LeaseLockFactory {

    static final String NAME = "leases-in-memory";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public boolean isConfigured() {
      return true;
    }

    @Override
    public LeaseLock create(LockRequest request) {
      return new ReferencedLock(new InMemoryLeaseLock(request.leaseName()),
          new LockReference("Lease", "jobs", request.leaseName()));
    }

    @Override
    public Optional<GroupMembership> groupMembership(LockRequest request) {
      return Optional.of(new InMemoryGroupMembership(request.leaseName()));
    }
  }
}
