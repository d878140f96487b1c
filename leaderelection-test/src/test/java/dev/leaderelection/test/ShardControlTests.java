package dev.leaderelection.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.StepDownReason;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.group.ShardOwner;
import dev.leaderelection.spring.OnShardOwner;
import dev.leaderelection.spring.ShardAcquiredEvent;
import dev.leaderelection.spring.ShardEvent;
import dev.leaderelection.spring.ShardLostEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The test kit with a sharded group configured for Kubernetes Leases: held in memory, its shards
 * owned, handed to another instance and taken back on demand, through the shards' own elections.
 */
@SpringBootTest(classes = ShardControlTests.Application.class, properties = {
    "leader-election.lock=lease", "leader-election.groups.tenants.shards=4", "KUBECONFIG=",
    "KUBERNETES_SERVICE_HOST="})
@AutoConfigureLeadershipControl
@DirtiesContext
class ShardControlTests {

  @Autowired
  private LeadershipControl leadership;

  @Autowired
  private ShardGroup tenants;

  @Autowired
  private Application.Tenants work;

  @Autowired
  private Application.Events events;

  @BeforeEach
  void everyShardOwnedHere() {
    leadership.grantAllShards("tenants");
    events.clear();
  }

  @Test
  void grantAllShardsShouldMakeThisInstanceOwnEveryShardOfTheGroup() {
    assertThat(tenants.ownedShards()).containsExactly(0, 1, 2, 3);
    assertThat(IntStream.range(0, 4).mapToObj(tenants::owner))
        .allSatisfy(owner -> assertThat(owner).map(ShardOwner::identity)
            .contains(tenants.identity()));
    assertThat(work.process(keyOf(2))).isEqualTo(keyOf(2));
  }

  @Test
  void revokeShardShouldHandItToAnotherInstanceAndSkipItsKeysOnly() {
    leadership.revokeShard("tenants", 2);

    assertThat(tenants.owns(2)).isFalse();
    assertThat(tenants.ownedShards()).containsExactly(0, 1, 3);
    assertThat(tenants.owner(2)).map(ShardOwner::identity)
        .contains(LeadershipControl.OTHER_INSTANCE);
    assertThat(work.process(keyOf(2))).as("@OnShardOwner skips a key of shard 2").isNull();
    assertThat(work.process(keyOf(3))).isEqualTo(keyOf(3));
    await().untilAsserted(() -> assertThat(events.of(ShardLostEvent.class)).singleElement()
        .satisfies(lost -> {
          assertThat(lost.shard()).isEqualTo(2);
          assertThat(lost.reason()).isEqualTo(StepDownReason.PREEMPTED);
        }));
  }

  @Test
  void grantShardShouldTakeARevokedShardBackWithAHigherToken() {
    leadership.revokeShard("tenants", 1);
    long lostToken = events.of(ShardLostEvent.class).get(0).fencingToken();
    events.clear();

    leadership.grantShard("tenants", 1);

    assertThat(tenants.ownedShards()).containsExactly(0, 1, 2, 3);
    assertThat(work.process(keyOf(1))).isEqualTo(keyOf(1));
    await().untilAsserted(() -> assertThat(events.of(ShardAcquiredEvent.class)).anySatisfy(
        acquired -> {
          assertThat(acquired.shard()).isEqualTo(1);
          assertThat(acquired.fencingToken()).isGreaterThan(lostToken);
        }));
    assertThat(tenants.term(1)).hasValueSatisfying(term ->
        assertThat(term.fencingToken()).isGreaterThan(lostToken));
  }

  @Test
  void revokeAllShardsShouldLeaveThisInstanceOwningNone() {
    leadership.revokeAllShards("tenants");

    assertThat(tenants.ownedShards()).isEmpty();
    assertThat(IntStream.range(0, 4).mapToObj(shard -> work.process(keyOf(shard))))
        .containsOnlyNulls();
    assertThat(events.of(ShardLostEvent.class)).extracting(ShardEvent::shard)
        .containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  @Test
  void unknownGroupShouldFailNamingIt() {
    assertThatIllegalArgumentException().isThrownBy(() -> leadership.grantShard("orders", 0))
        .withMessage("No group named 'orders' is configured");
  }

  @Test
  void shardOutOfRangeShouldFailNamingTheGroupsShards() {
    assertThatIllegalArgumentException().isThrownBy(() -> leadership.revokeShard("tenants", 4))
        .withMessage("Group 'tenants' has shards 0 to 3, not 4");
  }

  /** A tenant id that goes to {@code shard}. */
  private String keyOf(int shard) {
    return IntStream.iterate(0, i -> i + 1).mapToObj(i -> "tenant-" + i)
        .filter(key -> tenants.shardOf(key) == shard).findFirst().orElseThrow();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {

    @Bean
    Tenants tenants() {
      return new Tenants();
    }

    @Bean
    Events events() {
      return new Events();
    }

    /** Work of one tenant, on the owner of its shard only. */
    static class Tenants {

      @OnShardOwner(group = "tenants", key = "#tenant")
      public String process(String tenant) {
        return tenant;
      }
    }

    /** Every event of the group's shards. */
    static class Events {

      private final List<ShardEvent> received = new CopyOnWriteArrayList<>();

      @EventListener
      void on(ShardEvent event) {
        received.add(event);
      }

      <T extends ShardEvent> List<T> of(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
      }

      void clear() {
        received.clear();
      }
    }
  }
}
