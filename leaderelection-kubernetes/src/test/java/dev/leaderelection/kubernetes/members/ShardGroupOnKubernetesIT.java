package dev.leaderelection.kubernetes.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.RealApiServerTest;
import dev.leaderelection.spi.GroupMembership;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Core's {@link ShardGroup} over this module's Lease locks and group membership: three replicas,
 * each with a client of its own, spread six shards evenly and take over the shards of a leaver, or
 * of a replica that stands aside until it resumes.
 * Timings 3s / 2s / 500ms; member TTL 3 s.
 */
class ShardGroupOnKubernetesIT extends RealApiServerTest {

  private static final int SHARDS = 6;
  private static final LeaseTimings TIMINGS = LeaseTimings.of(Duration.ofSeconds(3),
      Duration.ofSeconds(2), Duration.ofMillis(500));
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

  private final List<KubernetesLocks> replicas = new ArrayList<>();
  private final List<ShardGroup> groups = new ArrayList<>();

  @AfterEach
  void closeReplicas() {
    groups.forEach(ShardGroup::close);
    replicas.forEach(KubernetesLocks::close);
  }

  @Test
  void threeReplicasShouldSpreadTheShardsAndTakeOverALeaversShards() {
    startReplicas("tenants");

    awaitBalanced(groups, 2);

    groups.get(0).close();

    awaitBalanced(groups.subList(1, 3), 3);
  }

  @Test
  void pausedReplicaShouldHandItsShardsOverAndTakeItsShareBackOnResume() {
    startReplicas("paused");
    awaitBalanced(groups, 2);
    ShardGroup paused = groups.get(0);

    paused.pause().toCompletableFuture().join();

    assertThat(paused.ownedShards()).isEmpty();
    awaitBalanced(groups.subList(1, 3), 3);
    assertThat(paused.ownedShards()).isEmpty();

    paused.resume();

    awaitBalanced(groups, 2);
  }

  /** Starts three replicas of group {@code name}, each with a client of its own. */
  private void startReplicas(String name) {
    for (String identity : List.of("pod-a_1f3e9c2d", "pod-b_0a94be11", "pod-c_77d0e5aa")) {
      KubernetesLocks locks = KubernetesLocks.create(server.adminClient());
      replicas.add(locks);
      GroupMembership membership = locks.groupMembership(namespace, name,
          TIMINGS.leaseDuration(), REQUEST_TIMEOUT);
      ShardGroup group = ShardGroup.builder(name, SHARDS,
              shard -> locks.lease(namespace, name + "-" + shard, REQUEST_TIMEOUT), membership,
              identity)
          .electorCustomizer((shard, elector) -> elector.timings(TIMINGS)).build();
      groups.add(group);
      group.start();
    }
  }

  private void awaitBalanced(List<ShardGroup> live, int each) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Set<Integer> owned = new TreeSet<>();
      for (ShardGroup group : live) {
        assertThat(group.members()).hasSize(live.size());
        assertThat(group.ownedShards()).hasSize(each);
        group.ownedShards().forEach(shard -> assertThat(owned.add(shard))
            .as("shard %d owned twice", shard).isTrue());
      }
      assertThat(owned).hasSize(SHARDS);
    });
  }
}
