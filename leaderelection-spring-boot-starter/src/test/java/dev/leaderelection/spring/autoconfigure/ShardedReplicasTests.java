package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spring.LeaseLockFactory;
import dev.leaderelection.spring.OnShardOwner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Replicas of one application, each a context, sharing one in-memory store of locks and one
 * membership: their group balances, and the {@code @OnShardOwner} guard runs each key on the one
 * replica that owns its shard.
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
