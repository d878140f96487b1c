package dev.leaderelection.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.CrashableLock;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.MembershipListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A group's members balance its shards over the live members: even after quiescence, the fewest
 * moves on a join, a graceful leave and a crash, and nothing moves while members stay. After every
 * task no shard has two members leading it ({@link GroupHarness}).
 */
class ShardGroupTest {

  private static final Duration RETRY = GroupHarness.TIMINGS.retryPeriod();

  @Test
  void threeMembersShouldSpreadSixtyFourShardsWithinOne() {
    GroupHarness harness = new GroupHarness(64);
    harness.joinAll("a", "b", "c");
    harness.advance(GroupHarness.QUIESCENCE);

    assertThat(harness.counts()).containsExactly(Map.entry("a", 22), Map.entry("b", 21),
        Map.entry("c", 21));
    assertThat(harness.owners()).doesNotContain("");
  }

  @Test
  void fiveMembersShouldSpreadSixtyFourShardsWithinOne() {
    GroupHarness harness = new GroupHarness(64);
    harness.joinAll("e", "d", "c", "b", "a");
    harness.advance(GroupHarness.QUIESCENCE);

    assertThat(harness.spread()).isLessThanOrEqualTo(1);
    assertThat(harness.counts()).containsEntry("a", 13).containsEntry("d", 13)
        .containsEntry("e", 12);
    assertThat(harness.owners()).doesNotContain("");
  }

  @Test
  void membersJoiningOneByOneShouldEndBalanced() {
    GroupHarness harness = new GroupHarness(64);
    for (String identity : List.of("a", "b", "c", "d", "e")) {
      harness.join(identity);
      harness.advance(RETRY);
    }
    harness.advance(GroupHarness.QUIESCENCE);

    assertThat(harness.spread()).isLessThanOrEqualTo(1);
    assertThat(harness.owners()).doesNotContain("");
  }

  @Test
  void joinShouldMoveOnlyTheNewMembersShare() {
    GroupHarness harness = new GroupHarness(64);
    harness.joinAll("a", "b", "c");
    harness.advance(GroupHarness.QUIESCENCE);
    List<String> before = harness.owners();

    harness.join("d");
    harness.advance(RETRY.multipliedBy(2));

    assertThat(harness.counts()).containsOnly(Map.entry("a", 16), Map.entry("b", 16),
        Map.entry("c", 16), Map.entry("d", 16));
    assertThat(GroupHarness.moved(before, harness.owners())).as("64 / (3 + 1) moves")
        .isEqualTo(16);
  }

  @Test
  void gracefulLeaveShouldHandOverTheLeaversShardsBeforeTheirLeasesExpire() {
    GroupHarness harness = new GroupHarness(64);
    harness.joinAll("a", "b", "c");
    harness.advance(GroupHarness.QUIESCENCE);
    List<String> before = harness.owners();

    harness.leave("c");
    harness.advance(RETRY);

    assertThat(harness.counts()).containsOnly(Map.entry("a", 32), Map.entry("b", 32));
    assertThat(GroupHarness.moved(before, harness.owners())).as("only c's shards moved")
        .isEqualTo(before.stream().filter("c"::equals).count());
    assertThat(harness.listeners.get("c").events()).filteredOn(event -> event.startsWith("lost"))
        .hasSize(21).allMatch(event -> event.endsWith("RELEASED"));
  }

  @Test
  void crashedMembersShardsShouldMoveOnlyAfterTheirLeasesExpire() {
    GroupHarness harness = new GroupHarness(64);
    harness.joinAll("a", "b", "c");
    harness.advance(GroupHarness.QUIESCENCE);
    List<String> before = harness.owners();

    harness.crash("c");
    harness.advance(GroupHarness.TIMINGS.leaseDuration().minus(RETRY));
    assertThat(harness.owners()).as("c's shards wait for their leases to expire")
        .filteredOn(""::equals).hasSize(21);

    harness.advance(RETRY.multipliedBy(3));
    assertThat(harness.counts()).containsOnly(Map.entry("a", 32), Map.entry("b", 32));
    assertThat(GroupHarness.moved(before, harness.owners())).isEqualTo(21);
  }

  @Test
  void stableMembershipShouldMoveNothing() {
    GroupHarness harness = new GroupHarness(64);
    harness.joinAll("a", "b", "c");
    harness.advance(GroupHarness.QUIESCENCE);
    List<String> before = harness.owners();
    List<String> eventsBefore = harness.listeners.get("a").events();

    harness.advance(Duration.ofMinutes(10));

    assertThat(harness.owners()).isEqualTo(before);
    assertThat(harness.listeners.get("a").events()).isEqualTo(eventsBefore);
  }

  @Test
  void handOffShouldReportTheShardLostAsYieldedAndTheNewOwnerWithAHigherToken() {
    GroupHarness harness = new GroupHarness(4);
    ShardGroup a = harness.join("a");
    harness.advance(RETRY);
    assertThat(a.ownedShards()).containsExactly(0, 1, 2, 3);
    long[] tokens = {a.term(0).orElseThrow().fencingToken(), a.term(1).orElseThrow().fencingToken(),
        a.term(2).orElseThrow().fencingToken(), a.term(3).orElseThrow().fencingToken()};

    ShardGroup b = harness.join("b");
    harness.advance(RETRY);

    assertThat(a.ownedShards()).hasSize(2);
    assertThat(b.ownedShards()).hasSize(2);
    for (int shard : b.ownedShards()) {
      assertThat(harness.listeners.get("a").events())
          .contains("lost " + shard + " token " + tokens[shard] + " YIELDED");
      assertThat(b.term(shard).orElseThrow().fencingToken()).isGreaterThan(tokens[shard]);
      assertThat(a.owner(shard)).as("a observes b's term")
          .contains(new ShardOwner("b", b.term(shard).orElseThrow().fencingToken()));
    }
    assertThat(a.fairShare()).isEqualTo(2);
    assertThat(a.members()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void memberShouldNotCompeteBeforeItSeesTheMembers() {
    GroupHarness harness = new GroupHarness(8);
    ShardGroup waiting = alone(harness, new SilentMembership(false));
    harness.advance(GroupHarness.QUIESCENCE);

    assertThat(waiting.ownedShards()).isEmpty();
    assertThat(harness.locks).allMatch(lock -> lock.get().isEmpty());
  }

  @Test
  void memberWhoseMembershipIsBrokenShouldCompeteAsIfAlone() {
    GroupHarness harness = new GroupHarness(8);
    ShardGroup b = harness.join("b");
    harness.advance(RETRY);
    harness.leave("b"); // every shard free, but recently led
    ShardGroup lonely = alone(harness, new SilentMembership(true));
    harness.advance(RETRY);

    assertThat(lonely.ownedShards()).hasSize(8);
    assertThat(b.ownedShards()).isEmpty();
  }

  @Test
  void lockFailureShouldReportTheShardFailingLongestAmongThoseTheMemberCompetesFor() {
    GroupHarness harness = new GroupHarness(4);
    ShardGroup a = harness.join("a");
    harness.advance(RETRY);
    ShardGroup b = harness.join("b");
    harness.advance(GroupHarness.QUIESCENCE);
    Set<Integer> ownedByA = Set.copyOf(a.ownedShards());
    assertThat(ownedByA).hasSize(2);
    assertThat(a.lockFailure()).isEmpty();

    harness.memberLocks.get("a").forEach(CrashableLock::crash); // a's calls fail, a stays a member
    harness.advance(RETRY.multipliedBy(3));

    ShardFailure failure = a.lockFailure().orElseThrow();
    assertThat(ownedByA).contains(failure.shard());
    assertThat(failure.failingFor()).isPositive();
    assertThat(failure.failure()).isInstanceOf(LeaseLockException.class);
    assertThat(b.lockFailure()).as("b's locks answer; a's shards b stands aside from").isEmpty();
  }

  @Test
  void membershipFailureShouldLastFromTheWatchsReportUntilTheNextView() {
    GroupHarness harness = new GroupHarness(2);
    AtomicReference<MembershipListener> watcher = new AtomicReference<>();
    ShardGroup a = alone(harness, new GroupMembership() {
      @Override
      public AutoCloseable join(String identity) {
        return () -> { };
      }

      @Override
      public AutoCloseable watch(MembershipListener listener) {
        watcher.set(listener);
        return () -> { };
      }

      @Override
      public String describe() {
        return "members by hand";
      }
    });
    assertThat(a.membershipFailure()).isEmpty();

    watcher.get().broken(new LeaseLockException("members unreachable"));
    assertThat(a.membershipFailure()).get().extracting(Throwable::getMessage)
        .isEqualTo("members unreachable");

    watcher.get().membersChanged(Set.of("a"));
    assertThat(a.membershipFailure()).isEmpty();
    assertThat(a.members()).containsExactly("a");
  }

  private static ShardGroup alone(GroupHarness harness,
      GroupMembership membership) {
    ShardGroup group = ShardGroup.builder("tenants", harness.shards, harness.locks::get,
        membership, "a").balancingExecutor(harness.scheduler)
        .electorCustomizer(harness.manualElectors()).build();
    harness.everyMember.add(group);
    group.start();
    return group;
  }

  @Test
  void shardOfShouldRouteAKeyAsShardKeysDoes() {
    GroupHarness harness = new GroupHarness(64);
    ShardGroup a = harness.join("a");

    assertThat(a.shardOf("hello")).isEqualTo(7).isEqualTo(ShardKeys.shardOf("hello", 64));
  }
}
