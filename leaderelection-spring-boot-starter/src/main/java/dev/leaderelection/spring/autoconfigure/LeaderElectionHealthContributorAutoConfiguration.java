package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@code leaderElection} health contributor, at {@code /actuator/health/leaderElection}: one
 * indicator for a single election, one component per election when there are several. Turned off
 * by {@code management.health.leaderelection.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LeaderElectionAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(LeaderElectorFactory.class)
public final class LeaderElectionHealthContributorAutoConfiguration {

  /** Nested, so that the health module's condition is read only when the module is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnEnabledHealthIndicator("leaderelection")
  static class HealthContributorConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "leaderElectionHealthContributor")
    HealthContributor leaderElectionHealthContributor(BeanFactory beanFactory,
        ElectionSettingsResolver settings, Environment environment) {
      OnLeaderElections electors = new OnLeaderElections(beanFactory, environment);
      Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
      for (ElectionSettings election : settings.resolveAll()) {
        indicators.put(election.name(),
            new LeaderElectionHealthIndicator(() -> electors.elector(election.name())));
      }
      return indicators.size() == 1 ? indicators.values().iterator().next()
          : CompositeHealthContributor.fromMap(indicators);
    }
  }
}
