package dev.leaderelection.spring.autoconfigure.health;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.autoconfigure.ElectionContributor;
import dev.leaderelection.spring.autoconfigure.LeaderElectionAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code leaderElection} health contributor, at {@code /actuator/health/leaderElection}: as
 * Spring Boot's own contributors do, one indicator for a single election, and a composite with
 * one component per election when there are several. Turned off by
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
      CompositeHealthContributorConfiguration<LeaderElectionHealthIndicator, Election> {

    HealthContributorConfiguration(LeaderElectionProperties properties) {
      super(election -> new LeaderElectionHealthIndicator(election.elector(),
          properties.health().failureTolerance(), election.details()));
    }

    /** Each indicator looks its elector up when asked, so health creates no elector itself. */
    @Bean
    @ConditionalOnMissingBean(name = "leaderElectionHealthContributor")
    HealthContributor leaderElectionHealthContributor(LeaderElections elections,
        ObjectProvider<ElectionContributor> contributors) {
      elections.requireAny();
      if (elections.names().isEmpty()) { // only sharded groups, whose health is yet to come
        return (HealthIndicator) () -> Health.up()
            .withDetail("groups", List.copyOf(elections.groups())).build();
      }
      List<ElectionContributor> all = contributors.orderedStream().toList();
      Map<String, Election> electors = new LinkedHashMap<>();
      elections.names().forEach(name -> electors.put(name, new Election(
          () -> elections.elector(name), () -> details(all, name))));
      return createContributor(electors);
    }

    private static Map<String, Object> details(List<ElectionContributor> contributors,
        String election) {
      Map<String, Object> details = new LinkedHashMap<>();
      contributors.forEach(contributor -> details.putAll(contributor.healthDetails(election)));
      return details;
    }
  }

  /** One election's elector and the details the starter's contributors add to its health. */
  record Election(Supplier<LeaderElector> elector, Supplier<Map<String, Object>> details) {
  }
}
