package dev.leaderelection.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.spi.InMemoryLeaseLock;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Building, starting and closing a group, and listeners that misbehave. */
class ShardGroupLifecycleTest {

  private final GroupHarness harness = new GroupHarness(4);

  @Test
  void noShardsShouldBeRejected() {
    assertThatThrownBy(() -> ShardGroup.builder("tenants", 0,
        shard -> new InMemoryLeaseLock("x"), harness.membership, "a").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shards is 0; it must be at least 1");
  }

  @Test
  void secondStartShouldBeRejected() {
    ShardGroup a = harness.join("a");

    assertThatThrownBy(a::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
  }

  @Test
  void closeShouldLeaveTheGroupReleaseEveryShardAndBeIdempotent() {
    ShardGroup a = harness.join("a");
    harness.advance(GroupHarness.TIMINGS.retryPeriod());
    assertThat(a.ownedShards()).hasSize(4);

    CompletableFuture<Void> first = a.closeAsync().toCompletableFuture();
    CompletableFuture<Void> second = a.closeAsync().toCompletableFuture();
    harness.scheduler.runDue();

    assertThat(first).isCompleted();
    assertThat(second).isCompleted();
    assertThat(harness.membership.members()).isEmpty();
    assertThat(harness.locks).allMatch(lock -> lock.get().orElseThrow().holderIdentity().isEmpty());
    assertThat(a.ownedShards()).isEmpty();
  }

  @Test
  void closingAGroupNeverStartedShouldCompleteAtOnce() {
    ShardGroup never = ShardGroup.builder("tenants", 4, harness.locks::get, harness.membership,
            "a")
        .balancingExecutor(harness.scheduler)
        .electorCustomizer(harness.manualElectors())
        .build();

    CompletableFuture<Void> closed = never.closeAsync().toCompletableFuture();
    harness.scheduler.runDue();

    assertThat(closed).isCompleted();
    assertThat(harness.membership.members()).isEmpty();
  }

  @Test
  void throwingListenerShouldNotStopTheGroupFromBalancing() {
    GroupHarness throwing = new GroupHarness(4);
    ShardGroup a = ShardGroup.builder("tenants", 4, throwing.locks::get, throwing.membership, "a")
        .balancingExecutor(throwing.scheduler)
        .listener(new ShardListener() {
          @Override
          public void onShardAcquired(int shard, LeaderContext term) {
            throw new IllegalStateException("listener bug");
          }
        })
        .electorCustomizer(throwing.manualElectors()).build();
    throwing.everyMember.add(a); // checked with the others: never two leaders of a shard
    a.start();
    throwing.advance(GroupHarness.TIMINGS.retryPeriod());
    assertThat(a.ownedShards()).hasSize(4);

    ShardGroup b = throwing.join("b");
    throwing.advance(GroupHarness.TIMINGS.retryPeriod());

    assertThat(a.ownedShards()).hasSize(2);
    assertThat(b.ownedShards()).hasSize(2);
  }

  @Test
  void electorCustomizerShouldConfigureEachShardsElectorByItsIndex() {
    ShardGroup a = ShardGroup.builder("tenants", 4, harness.locks::get, harness.membership, "a")
        .balancingExecutor(harness.scheduler)
        .electorCustomizer(harness.manualElectors())
        .electorCustomizer((shard, elector) -> elector.releaseOnClose(shard % 2 == 0))
        .build();
    harness.everyMember.add(a);
    a.start();
    harness.advance(GroupHarness.TIMINGS.retryPeriod());
    assertThat(a.ownedShards()).hasSize(4);

    a.closeAsync();
    harness.scheduler.runDue();

    assertThat(harness.locks).extracting(lock -> lock.get().orElseThrow().holderIdentity())
        .as("even shards released on close, odd ones left to expire")
        .containsExactly("", "a", "", "a");
  }
}
