package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spring.LeaseLockFactory;
import dev.leaderelection.spring.OnShardOwner;
import dev.leaderelection.spring.autoconfigure.endpoint.GroupDescriptor;
import dev.leaderelection.spring.autoconfigure.endpoint.LeaderElectionEndpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Replicas of one application, each a context, sharing one in-memory store of locks and one
 * membership: their group balances, and the {@code @OnShardOwner} guard runs each key on the one
 * replica that owns its shard; each replica's endpoint, health and metrics show the moves and
 * the balance.
 */
class ShardedReplicasTests {

  private static final int SHARDS = 8;

  private final SharedMemoryBackend backend = new SharedMemoryBackend();
  private final ApplicationContextRunner replica = StarterContexts.bare()
      .withBean(LeaseLockFactory.class, () -> backend)
      .withBean(TenantWork.class)
      .withPropertyValues("leader-election.lock=" + SharedMemoryBackend.NAME,
          "leader-election.groups.tenants.shards=" + SHARDS);

  @Test
  void threeReplicasShouldBalanceTheShardsAndRunEachKeyOnExactlyOneReplica() {
    replica.withPropertyValues("leader-election.identity=replica-a").run(a ->
        replica.withPropertyValues("leader-election.identity=replica-b").run(b ->
            replica.withPropertyValues("leader-election.identity=replica-c").run(c -> {
              List<AssertableApplicationContext> replicas = List.of(a, b, c);
              List<ShardGroup> groups = replicas.stream()
                  .map(context -> context.getBean(ShardGroup.class)).toList();
              await().atMost(Duration.ofSeconds(30)).until(() -> balanced(groups));

              for (int tenant = 0; tenant < 60; tenant++) {
                String key = "tenant-" + tenant;
                List<Integer> ran = IntStream.range(0, replicas.size())
                    .filter(i -> replicas.get(i).getBean(TenantWork.class).bill(key).isPresent())
                    .boxed().toList();
                assertThat(ran).as("replicas that ran %s", key).hasSize(1);
                ShardGroup owner = groups.get(ran.get(0));
                assertThat(owner.owns(owner.shardOf(key))).isTrue();
              }
              assertThat(replicas).allSatisfy(context ->
                  assertThat(context.getBean(TenantWork.class).billed()).isNotEmpty());
            })));
  }

  @Test
  void replicaLeavingShouldHandItsShardsToTheOthers() {
    replica.withPropertyValues("leader-election.identity=replica-a").run(a -> {
      ShardGroup first = a.getBean(ShardGroup.class);
      replica.withPropertyValues("leader-election.identity=replica-b").run(b ->
          await().atMost(Duration.ofSeconds(30))
              .until(() -> balanced(List.of(first, b.getBean(ShardGroup.class)))));
      await().atMost(Duration.ofSeconds(30))
          .until(() -> first.ownedShards().size() == SHARDS);
      assertThat(first.members()).containsExactly("replica-a");
    });
  }

  @Test
  void joinShouldBeCountedAsMovesAndShownBalancedByEveryReplicasEndpointAndHealth() {
    ApplicationContextRunner operated = replica
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("management.endpoints.web.exposure.include=leaderelection");
    operated.withPropertyValues("leader-election.identity=replica-a").run(a -> {
      ShardGroup first = a.getBean(ShardGroup.class);
      await().atMost(Duration.ofSeconds(30))
          .until(() -> first.ownedShards().size() == SHARDS);
      operated.withPropertyValues("leader-election.identity=replica-b").run(b -> {
        List<ShardGroup> groups = List.of(first, b.getBean(ShardGroup.class));
        await().atMost(Duration.ofSeconds(30)).until(() -> balanced(groups)
            && groups.stream().allMatch(group -> group.members().size() == 2));

        await().atMost(Duration.ofSeconds(5)).until(() -> moves(a, "lost", "YIELDED") == 4.0
            && moves(b, "acquired", "none") == 4.0);
        assertThat(moves(a, "acquired", "none")).isEqualTo(SHARDS);
        for (AssertableApplicationContext context : List.of(a, b)) {
          GroupDescriptor seen = context.getBean(LeaderElectionEndpoint.class).elections()
              .groups().get("tenants");
          assertThat(seen.members()).containsExactly("replica-a", "replica-b");
          assertThat(seen.fairShare()).isEqualTo(SHARDS / 2);
          assertThat(seen.owned()).hasSize(SHARDS / 2);
          assertThat(seen.balanced()).isTrue();
          Health health = context.getBean("leaderElectionHealthContributor",
              HealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("owned", SHARDS / 2)
              .containsEntry("balanced", true);
          assertThat(context.getBean(MeterRegistry.class).get("leader.election.shards.owned")
              .tag("group", "tenants").gauge().value()).isEqualTo(SHARDS / 2);
        }
        assertThat(b.getBean(LeaderElectionEndpoint.class).elections().groups().get("tenants")
            .owned()).allSatisfy(owned -> assertThat(owned.fencingToken())
                .as("a new term of a shard a held").isPositive());
      });
    });
  }

  @Test
  void replicaWithNoShardToOwnShouldBeUpAndBalancedWithAFairShareOfZero() {
    ApplicationContextRunner oneShard = replica
        .withPropertyValues("leader-election.groups.tenants.shards=1",
            "management.endpoints.web.exposure.include=leaderelection");
    oneShard.withPropertyValues("leader-election.identity=replica-a").run(a -> {
      ShardGroup first = a.getBean(ShardGroup.class);
      await().atMost(Duration.ofSeconds(30)).until(() -> first.owns(0));
      oneShard.withPropertyValues("leader-election.identity=replica-b").run(b -> {
        ShardGroup second = b.getBean(ShardGroup.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> first.members().size() == 2
            && second.members().size() == 2 && second.fairShare() == 0 && first.owns(0));

        Health health = b.getBean("leaderElectionHealthContributor", HealthIndicator.class)
            .health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("owned", 0).containsEntry("fairShare", 0)
            .containsEntry("balanced", true);
        GroupDescriptor seen = b.getBean(LeaderElectionEndpoint.class).elections().groups()
            .get("tenants");
        assertThat(seen.owned()).isEmpty();
        assertThat(seen.balanced()).isTrue();
      });
    });
  }

  /** Shards a replica acquired or lost (with the reason), as its metrics count them. */
  private static double moves(AssertableApplicationContext context, String transition,
      String reason) {
    return context.getBean(MeterRegistry.class).find("leader.election.shard.transitions")
        .tag("group", "tenants").tag("transition", transition).tag("reason", reason)
        .counters().stream().mapToDouble(Counter::count).sum();
  }

  /** Every shard owned by exactly one replica, each with ⌊N/M⌋ or ⌈N/M⌉ of them. */
  private static boolean balanced(List<ShardGroup> groups) {
    int fewest = SHARDS / groups.size();
    int most = (SHARDS + groups.size() - 1) / groups.size();
    Set<Integer> all = new TreeSet<>();
    int owned = 0;
    for (ShardGroup group : groups) {
      Set<Integer> shards = group.ownedShards();
      if (shards.size() < fewest || shards.size() > most) {
        return false;
      }
      owned += shards.size();
      all.addAll(shards);
    }
    return owned == SHARDS && all.size() == SHARDS;
  }

  /** Work per tenant, guarded by the owner of the tenant's shard. */
  static class TenantWork {

    private final List<String> billed = new CopyOnWriteArrayList<>();

    public List<String> billed() {
      return List.copyOf(billed);
    }

    @OnShardOwner(group = "tenants", key = "#tenantId")
    public Optional<String> bill(String tenantId) {
      billed.add(tenantId);
      return Optional.of(tenantId);
    }
  }
}
