package dev.leaderelection.spring.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.group.ShardListener;
import dev.leaderelection.spring.autoconfigure.ElectionContributor;
import dev.leaderelection.spring.autoconfigure.GroupContributor;
import dev.leaderelection.spring.autoconfigure.StarterContexts;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code leaderelection} endpoint: there when exposed, gone when not, the user's wins; it
 * describes elections and sharded groups.
 */
class LeaderElectionEndpointAutoConfigurationTests {

  private final ApplicationContextRunner runner = StarterContexts.runner()
      .withPropertyValues("management.endpoints.web.exposure.include=leaderelection");

  @Test
  void exposedEndpointShouldDescribeTheElection() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(LeaderElectionEndpoint.class);
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(Duration.ofSeconds(5)).until(elector::isLeader);

      ElectionDescriptor election = context.getBean(LeaderElectionEndpoint.class).elections()
          .elections().get("default");
      assertThat(election.role()).isEqualTo("LEADER");
      assertThat(election.fencingToken()).isZero();
      assertThat(election.lock().name()).isEqualTo("my-app");
    });
  }

  @Test
  void electionDetailsShouldShowWhatTheStarterAddsToHealthSuchAsACoordinationStall() {
    ElectionContributor stalled = new ElectionContributor() {
      @Override
      public Map<String, Object> healthDetails(String election) {
        return Map.of("coordinationStall", "the preferred holder 'b' is gone");
      }
    };
    runner.withBean(ElectionContributor.class, () -> stalled).run(context -> {
      assertThat(context).hasNotFailed();
      LeaderElectionEndpoint endpoint = context.getBean(LeaderElectionEndpoint.class);
      assertThat(endpoint.election("default").details())
          .containsEntry("coordinationStall", "the preferred holder 'b' is gone");
      assertThat(endpoint.elections().elections().get("default").details())
          .containsEntry("coordinationStall", "the preferred holder 'b' is gone");
    });
  }

  @Test
  void groupShouldBeListedWithItsMembersOwnedShardsTokensFairShareAndBalance() {
    groups().run(context -> {
      assertThat(context).hasNotFailed();
      ShardGroup tenants = context.getBean("tenantsShardGroup", ShardGroup.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> tenants.ownedShards().size() == 4);

      LeaderElectionEndpoint.ElectionsDescriptor all =
          context.getBean(LeaderElectionEndpoint.class).elections();
      assertThat(all.elections()).as("groups alone, no election").isEmpty();
      GroupDescriptor group = all.groups().get("tenants");
      assertThat(group.name()).isEqualTo("tenants");
      assertThat(group.identity()).isEqualTo("replica-a");
      assertThat(group.shards()).isEqualTo(4);
      assertThat(group.members()).containsExactly("replica-a");
      assertThat(group.owned()).extracting(GroupDescriptor.OwnedShard::shard)
          .containsExactly(0, 1, 2, 3);
      assertThat(group.owned()).allSatisfy(owned -> assertThat(owned.fencingToken())
          .isEqualTo(tenants.term(owned.shard()).orElseThrow().fencingToken()));
      assertThat(group.fairShare()).isEqualTo(4);
      assertThat(group.balanced()).isTrue();
      assertThat(group.leaseDuration()).isEqualTo("15s");
      assertThat(group.renewDeadline()).isEqualTo("10s");
      assertThat(group.retryPeriod()).isEqualTo("2s");
      assertThat(group.lastFailure()).isNull();
      assertThat(group.membershipFailure()).isNull();
    });
  }

  @Test
  void groupDetailsShouldShowWhatTheStarterAddsToHealthSuchAsAnEventsProblem() {
    GroupContributor unrecorded = new GroupContributor() {
      @Override
      public ShardListener listener(String group, LeaseTimings timings) {
        return new ShardListener() { };
      }

      @Override
      public Map<String, Object> healthDetails(String group) {
        return Map.of("events", "could not record Events on " + group + "-0: Forbidden");
      }
    };
    groups().withBean(GroupContributor.class, () -> unrecorded).run(context -> {
      assertThat(context).hasNotFailed();
      GroupDescriptor tenants = context.getBean(LeaderElectionEndpoint.class).elections()
          .groups().get("tenants");
      assertThat(tenants.details())
          .containsEntry("events", "could not record Events on tenants-0: Forbidden");
    });
  }

  @Test
  void groupNotStartedYetShouldShowNoMembersNoShardsAndNotBalancedUntilItOwnsItsShare() {
    groups().withPropertyValues("leader-election.wait-for-readiness=true")
        .withBean(ApplicationAvailabilityBean.class)
        .run(context -> {
          LeaderElectionEndpoint endpoint = context.getBean(LeaderElectionEndpoint.class);
          GroupDescriptor waiting = endpoint.elections().groups().get("tenants");
          assertThat(waiting.members()).isEmpty();
          assertThat(waiting.owned()).isEmpty();
          assertThat(waiting.fairShare()).isZero();
          assertThat(waiting.balanced()).isFalse();

          AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
          await().atMost(Duration.ofSeconds(10))
              .until(() -> endpoint.elections().groups().get("tenants").owned().size() == 4);
          GroupDescriptor owning = endpoint.elections().groups().get("tenants");
          assertThat(owning.members()).containsExactly("replica-a");
          assertThat(owning.fairShare()).isEqualTo(4);
          assertThat(owning.balanced()).isTrue();
        });
  }

  @Test
  void electionsAndGroupsShouldBeListedSideBySide() {
    runner.withPropertyValues("leader-election.groups.tenants.shards=2").run(context -> {
      assertThat(context).hasNotFailed();
      LeaderElectionEndpoint.ElectionsDescriptor all =
          context.getBean(LeaderElectionEndpoint.class).elections();
      assertThat(all.elections()).containsOnlyKeys("default");
      assertThat(all.groups()).containsOnlyKeys("tenants");
      assertThat(all.groups().get("tenants").shards()).isEqualTo(2);
    });
  }

  @Test
  void electionsWithoutGroupsShouldListNoGroup() {
    runner.run(context -> assertThat(context.getBean(LeaderElectionEndpoint.class).elections()
        .groups()).isEmpty());
  }

  /** One group of four shards alone, in memory, exposed. */
  private static ApplicationContextRunner groups() {
    return StarterContexts.bare().withPropertyValues("leader-election.lock=in-memory",
        "leader-election.groups.tenants.shards=4", "leader-election.identity=replica-a",
        "management.endpoints.web.exposure.include=leaderelection");
  }

  @Test
  void endpointThatIsNotExposedShouldNotBeCreated() {
    StarterContexts.runner().run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(LeaderElectionEndpoint.class));
  }

  @Test
  void endpointWithNoAccessShouldNotBeCreated() {
    runner.withPropertyValues("management.endpoint.leaderelection.access=NONE").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(LeaderElectionEndpoint.class));
  }

  @Test
  void withoutActuatorTheApplicationShouldStartWithoutTheEndpoint() {
    runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(LeaderElector.class)
            .doesNotHaveBean(LeaderElectionEndpoint.class));
  }

  @Test
  void disabledElectionsShouldCreateNoEndpoint() {
    runner.withPropertyValues("leader-election.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(LeaderElectionEndpoint.class));
  }
}
