package dev.leaderelection.spring.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.autoconfigure.StarterContexts;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code leaderElection} contributor: one indicator, or one component per election. */
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
}
