package dev.leaderelection.spring.autoconfigure.health;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spring.autoconfigure.ContributedDetails;
import dev.leaderelection.spring.autoconfigure.ElectionContributor;
import dev.leaderelection.spring.autoconfigure.GroupContributor;
import dev.leaderelection.spring.autoconfigure.LeaderElectionAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code leaderElection} health contributor, at {@code /actuator/health/leaderElection}: as
 * Spring Boot's own contributors do, one indicator for a single election or sharded group, and a
 * composite with one component per election and per group (named after it; the two never share
 * a name) when there are several. Turned off by
 * {@code management.health.leaderelection.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LeaderElectionAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(LeaderElections.class)
public final class LeaderElectionHealthContributorAutoConfiguration {

  /** Nested, so that the health module's classes are read only when the module is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnEnabledHealthIndicator("leaderelection")
  static class HealthContributorConfiguration extends
      CompositeHealthContributorConfiguration<HealthIndicator, Component> {

    HealthContributorConfiguration(LeaderElectionProperties properties) {
      super(component -> component.indicator(properties.health().failureTolerance()));
    }

    /**
     * Each indicator looks its elector or group up when asked, so health creates neither itself.
     */
    @Bean
    @ConditionalOnMissingBean(name = "leaderElectionHealthContributor")
    HealthContributor leaderElectionHealthContributor(LeaderElections elections,
        ObjectProvider<ElectionContributor> contributors,
        ObjectProvider<GroupContributor> groupContributors) {
      elections.requireAny();
      ContributedDetails details = new ContributedDetails(contributors.orderedStream().toList(),
          groupContributors.orderedStream().toList());
      Map<String, Component> components = new LinkedHashMap<>();
      elections.names().forEach(name -> components.put(name, new Election(
          () -> elections.elector(name), () -> details.election(name))));
      elections.groups().forEach(name -> components.put(name,
          new Group(() -> elections.group(name), () -> details.group(name))));
      return createContributor(components);
    }
  }

  /** One component of the contributor: an election or a sharded group. */
  sealed interface Component {

    /** @param failureTolerance null for the renew deadline of the election or group */
    HealthIndicator indicator(@Nullable Duration failureTolerance);
  }

  /** One election's elector and the details the starter's contributors add to its health. */
  record Election(Supplier<LeaderElector> elector, Supplier<Map<String, Object>> details)
      implements Component {

    @Override
    public HealthIndicator indicator(@Nullable Duration failureTolerance) {
      return new LeaderElectionHealthIndicator(elector, failureTolerance, details);
    }
  }

  /** One sharded group and the details the starter's contributors add to its health. */
  record Group(Supplier<ShardGroup> group, Supplier<Map<String, Object>> details)
      implements Component {

    @Override
    public HealthIndicator indicator(@Nullable Duration failureTolerance) {
      return new ShardGroupHealthIndicator(group, failureTolerance, details);
    }
  }
}
