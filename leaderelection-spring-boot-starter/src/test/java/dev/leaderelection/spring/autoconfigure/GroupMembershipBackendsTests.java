package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.etcd.EtcdGroupMembership;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.InMemoryGroupMembership;
import dev.leaderelection.spring.LeaseLockFactory;
import dev.leaderelection.spring.LeaseLockFactory.LockRequest;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The membership each of the starter's backends gives a group. Nothing here connects: the
 * memberships are made, never joined or watched.
 */
class GroupMembershipBackendsTests {

  private static final LockRequest TENANTS = new LockRequest("tenants", "tenants",
      LeaseTimings.of(Duration.ofSeconds(20), Duration.ofSeconds(12), Duration.ofSeconds(2)),
      "leader-election.groups.tenants.lock");

  @Test
  void etcdBackendShouldGiveMembersUnderTheKeyPrefix() {
    StarterContexts.bare().withPropertyValues("leader-election.lock=etcd",
            "leader-election.etcd.endpoints=http://127.0.0.1:1",
            "leader-election.etcd.key-prefix=/my-team/", "leader-election.lease-name=reports",
            "leader-election.release-on-shutdown=false")
        .run(context -> {
          GroupMembership membership = context.getBean(JetcdElectionLocks.class)
              .groupMembership(TENANTS).orElseThrow();
          assertThat(membership).isInstanceOf(EtcdGroupMembership.class);
          assertThat(membership.describe()).startsWith(
              "members of group tenants under etcd prefix /my-team/groups/tenants/members/");
        });
  }

  @Test
  void etcdGroupAndElectionWithOneRequestTimeoutShouldShareOneClient() {
    StarterContexts.bare().withPropertyValues("leader-election.lock=etcd",
            "leader-election.etcd.endpoints=http://127.0.0.1:1",
            "leader-election.lease-name=reports", "leader-election.groups.tenants.shards=4",
            "leader-election.release-on-shutdown=false")
        .run(context -> {
          assertThat(context).hasNotFailed();
          JetcdElectionLocks backend = context.getBean(JetcdElectionLocks.class);
          assertThat(backend.made()).as("the election's lock and the four shards'").hasSize(5)
              .allSatisfy(lock -> assertThat(lock.describe()).endsWith(" at http://127.0.0.1:1"));
          assertThat(backend.clientsMade()).as("one connection, not one per lock").isOne();
        });
  }

  @Test
  void kubernetesBackendsShouldGiveMemberLeasesInTheGroupsNamespace() {
    ApiClient client = new ClientBuilder().setBasePath("https://127.0.0.1:1").build();
    try (KubernetesLocks locks = KubernetesLocks.create(client)) {
      StarterContexts.bare().withBean(KubernetesLocks.class, () -> locks)
          // waiting for a readiness that never comes, the group never calls the (absent) API,
          // so no HTTP thread outlives the test
          .withPropertyValues("leader-election.lock=lease",
              "leader-election.wait-for-readiness=true", "leader-election.groups.tenants.shards=1",
              "leader-election.groups.tenants.kubernetes.namespace=billing")
          .run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanProvider(LeaseLockFactory.class).orderedStream()
                .filter(backend -> backend instanceof KubernetesLockFactory))
                .extracting(LeaseLockFactory::name).containsExactly("lease", "configmap")
                .allSatisfy(name -> assertThat(context.getBeanProvider(LeaseLockFactory.class)
                    .orderedStream().filter(backend -> backend.name().equals(name)).findFirst()
                    .orElseThrow().groupMembership(TENANTS).orElseThrow().describe())
                    .isEqualTo("members of group tenants (leases "
                        + "leaderelection.dev/group=tenants in namespace billing)"));
          });
    }
  }

  @Test
  void inMemoryBackendShouldShareOneMembershipPerGroupInTheContext() {
    InMemoryLockFactory backend = new InMemoryLockFactory();
    GroupMembership first = backend.groupMembership(TENANTS).orElseThrow();
    assertThat(first).isInstanceOf(InMemoryGroupMembership.class)
        .isSameAs(backend.groupMembership(TENANTS).orElseThrow());
    assertThat(backend.groupMembership(new LockRequest("orders", "orders", LeaseTimings.DEFAULTS,
        "lock")).orElseThrow()).isNotSameAs(first);
  }
}
