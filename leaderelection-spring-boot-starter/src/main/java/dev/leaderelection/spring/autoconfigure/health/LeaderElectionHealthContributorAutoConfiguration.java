package dev.leaderelection.spring.autoconfigure.health;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.autoconfigure.LeaderElectionAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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
      CompositeHealthContributorConfiguration<LeaderElectionHealthIndicator, Supplier<LeaderElector>> {

    HealthContributorConfiguration(LeaderElectionProperties properties) {
      super(elector -> new LeaderElectionHealthIndicator(elector,
          properties.health().failureTolerance()));
    }

    /** Each indicator looks its elector up when asked, so health creates no elector itself. */
    @Bean
    @ConditionalOnMissingBean(name = "leaderElectionHealthContributor")
    HealthContributor leaderElectionHealthContributor(LeaderElections elections) {
      elections.requireAny();
      Map<String, Supplier<LeaderElector>> electors = new LinkedHashMap<>();
      elections.names().forEach(name -> electors.put(name, () -> elections.elector(name)));
      return createContributor(electors);
    }
  }
}
