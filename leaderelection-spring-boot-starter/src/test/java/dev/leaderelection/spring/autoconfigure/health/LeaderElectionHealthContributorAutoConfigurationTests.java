package dev.leaderelection.spring.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spring.LeaseLockFactory;
import dev.leaderelection.spring.autoconfigure.StarterContexts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The {@code leaderElection} contributor: one indicator, or one component per election and per
 * sharded group; what a group's health shows, and when it is DOWN.
 */
class LeaderElectionHealthContributorAutoConfigurationTests {

  private final ApplicationContextRunner runner = StarterContexts.runner();

  @Test
  void contributorShouldBePresentByDefault() {
    runner.run(context -> assertThat(context).hasNotFailed()
        .hasBean("leaderElectionHealthContributor"));
  }

  @Test
  void disabledShouldCreateNoContributor() {
    runner.withPropertyValues("leader-election.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean("leaderElectionHealthContributor"));
  }

  @Test
  void withoutActuatorTheApplicationShouldStartWithoutHealth() {
    runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(LeaderElector.class)
              .doesNotHaveBean("leaderElectionHealthContributor");
        });
  }

  @Test
  void failureToleranceOutOfRangeShouldFailTheStartupNamingItWithoutOverflowing() {
    runner.withPropertyValues("leader-election.health.failure-tolerance=-1s").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessage("leader-election.health.failure-tolerance is -1s; it must be between 0s "
                + "and 86400s (one day)"));
    runner.withPropertyValues("leader-election.health.failure-tolerance=-300000d").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessage("leader-election.health.failure-tolerance is -25920000000s; it must be "
                + "between 0s and 86400s (one day)"));
    runner.withPropertyValues("leader-election.health.failure-tolerance=2d").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessage("leader-election.health.failure-tolerance is 172800s; it must be "
                + "between 0s and 86400s (one day)"));
  }

  @Test
  void healthShouldBeTurnedOffByProperty() {
    runner.withPropertyValues("management.health.leaderelection.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean("leaderElectionHealthContributor"));
  }

  @Test
  void applicationHealthContributorShouldReplaceTheDefaultOne() {
    HealthIndicator own = () -> Health.up().build();
    runner.withBean("leaderElectionHealthContributor", HealthIndicator.class, () -> own)
        .run(context -> assertThat(context.getBean("leaderElectionHealthContributor"))
            .isSameAs(own));
  }

  @Test
  void healthShouldReportTheRoleAndTheLease() {
    runner.run(context -> {
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(Duration.ofSeconds(5)).until(elector::isLeader);
      HealthContributor contributor = context.getBean("leaderElectionHealthContributor",
          HealthContributor.class);
      assertThat(contributor).as("one election, one indicator")
          .isNotInstanceOf(CompositeHealthContributor.class);
      var health = ((HealthIndicator) contributor).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("role", "LEADER")
          .containsEntry("leader", elector.identity())
          .containsEntry("lease", "in-memory lock my-app")
          .containsEntry("transitions", 0)
          .containsKey("lastRenew");
    });
  }

  @Test
  void namedElectionsShouldEachHaveAHealthComponent() {
    runner.withPropertyValues("leader-election.elections.reports.lease-name=reports-lease",
            "leader-election.elections.billing.retry-period=1s")
        .run(context -> {
          CompositeHealthContributor health = context.getBean("leaderElectionHealthContributor",
              CompositeHealthContributor.class);
          assertThat(health.stream().map(entry -> entry.name()))
              .containsExactlyInAnyOrder("default", "reports", "billing");
          HealthIndicator reports = (HealthIndicator) health.getContributor("reports");
          assertThat(reports.health().getDetails())
              .containsEntry("lease", "in-memory lock reports-lease");
        });
  }

  @Test
  void singleNamedElectionShouldBeOneIndicator() {
    StarterContexts.bare()
        .withPropertyValues("leader-election.elections.reports.lock=in-memory")
        .run(context -> {
          HealthContributor contributor = context.getBean("leaderElectionHealthContributor",
              HealthContributor.class);
          assertThat(contributor).isInstanceOf(HealthIndicator.class);
          assertThat(((HealthIndicator) contributor).health().getDetails())
              .containsEntry("lease", "in-memory lock reports");
        });
  }

  @Test
  void singleGroupShouldBeOneIndicatorShowingItsMembersOwnedShardsAndFairShare() {
    groups().run(context -> {
      ShardGroup tenants = context.getBean(ShardGroup.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> tenants.ownedShards().size() == 4);
      HealthContributor contributor = context.getBean("leaderElectionHealthContributor",
          HealthContributor.class);
      assertThat(contributor).as("one group, one indicator")
          .isInstanceOf(ShardGroupHealthIndicator.class);

      Health health = ((HealthIndicator) contributor).health();

      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("identity", "replica-a")
          .containsEntry("shards", 4)
          .containsEntry("members", List.of("replica-a"))
          .containsEntry("owned", 4)
          .containsEntry("fairShare", 4)
          .containsEntry("balanced", true)
          .doesNotContainKeys("error", "membership");
    });
  }

  @Test
  void groupOwningNoShardYetShouldBeUpAndNotBalancedUntilItOwnsItsShare() {
    groups().withPropertyValues("leader-election.wait-for-readiness=true")
        .withBean(ApplicationAvailabilityBean.class)
        .run(context -> {
          HealthIndicator group = context.getBean("leaderElectionHealthContributor",
              HealthIndicator.class);
          Health waiting = group.health();
          assertThat(waiting.getStatus()).isEqualTo(Status.UP);
          assertThat(waiting.getDetails()).containsEntry("owned", 0)
              .containsEntry("members", List.of()).containsEntry("balanced", false);

          AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
          await().atMost(Duration.ofSeconds(10))
              .until(() -> group.health().getDetails().get("owned").equals(4));
          assertThat(group.health().getStatus()).isEqualTo(Status.UP);
          assertThat(group.health().getDetails()).containsEntry("balanced", true);
        });
  }

  @Test
  void electionsAndGroupsShouldEachHaveAComponent() {
    runner.withPropertyValues("leader-election.groups.tenants.shards=2",
            "leader-election.groups.orders.shards=1")
        .run(context -> {
          CompositeHealthContributor health = context.getBean("leaderElectionHealthContributor",
              CompositeHealthContributor.class);
          assertThat(health.stream().map(entry -> entry.name()))
              .containsExactlyInAnyOrder("default", "tenants", "orders");
          assertThat(health.getContributor("default"))
              .isInstanceOf(LeaderElectionHealthIndicator.class);
          assertThat(((HealthIndicator) health.getContributor("tenants")).health().getDetails())
              .containsEntry("shards", 2);
        });
  }

  @Test
  void groupWhoseLocksKeepFailingShouldBeDownBeyondTheToleranceNamingTheShard() {
    failingGroup(new LeaseLockException("store unreachable"), null)
        .withPropertyValues("leader-election.health.failure-tolerance=0s")
        .run(context -> {
          HealthIndicator group = context.getBean("leaderElectionHealthContributor",
              HealthIndicator.class);
          await().atMost(Duration.ofSeconds(10))
              .until(() -> group.health().getStatus().equals(Status.DOWN));
          Health health = group.health();
          assertThat(health.getDetails()).containsEntry("error", "store unreachable")
              .containsEntry("owned", 0).containsKeys("shard", "failingFor");
          assertThat((Integer) health.getDetails().get("shard")).isBetween(0, 3);
        });
  }

  @Test
  void groupWhoseLocksFailWithinTheToleranceShouldStayUpShowingTheFailure() {
    failingGroup(new LeaseLockException("store unreachable"), null)
        .withPropertyValues("leader-election.health.failure-tolerance=1d")
        .run(context -> {
          HealthIndicator group = context.getBean("leaderElectionHealthContributor",
              HealthIndicator.class);
          await().atMost(Duration.ofSeconds(10))
              .until(() -> group.health().getDetails().containsKey("error"));
          Health health = group.health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("error", "store unreachable");
        });
  }

  @Test
  void groupWhoseMembershipWatchIsDownShouldStayUpShowingItAndCompeteAsIfAlone() {
    failingGroup(null, new LeaseLockException("members unreachable")).run(context -> {
      ShardGroup tenants = context.getBean(ShardGroup.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> tenants.ownedShards().size() == 4);
      Health health = context.getBean("leaderElectionHealthContributor", HealthIndicator.class)
          .health();

      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("owned", 4)
          .containsEntry("members", List.of("replica-a"))
          .containsEntry("membership", "watch down, deciding on the last view of the members "
              + "(members unreachable)")
          .doesNotContainKey("error");
    });
  }

  /** One group of four shards alone, in memory. */
  private static ApplicationContextRunner groups() {
    return StarterContexts.bare().withPropertyValues("leader-election.lock=in-memory",
        "leader-election.groups.tenants.shards=4", "leader-election.identity=replica-a");
  }

  /** One group of four shards alone, on a backend that fails as told. */
  private static ApplicationContextRunner failingGroup(LeaseLockException lockFailure,
      LeaseLockException membershipFailure) {
    return StarterContexts.bare()
        .withBean(LeaseLockFactory.class, () -> new GroupBackend(lockFailure, membershipFailure))
        .withPropertyValues("leader-election.lock=" + GroupBackend.NAME,
            "leader-election.groups.tenants.shards=4", "leader-election.identity=replica-a");
  }
}
