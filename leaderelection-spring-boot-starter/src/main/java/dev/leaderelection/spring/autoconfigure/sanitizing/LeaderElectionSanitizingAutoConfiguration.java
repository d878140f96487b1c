package dev.leaderelection.spring.autoconfigure.sanitizing;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Masks the starter's credentials (the etcd password, the user info of etcd endpoints) in
 * {@code /actuator/configprops} and {@code /actuator/env}, whatever their {@code show-values},
 * when Actuator is on the classpath. Also while leader election is disabled: the properties are
 * still in the environment then. An application bean named
 * {@code leaderElectionSanitizingFunction} replaces it.
 *
 * @since 0.3.0
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
public final class LeaderElectionSanitizingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "leaderElectionSanitizingFunction")
  SanitizingFunction leaderElectionSanitizingFunction() {
    return new LeaderElectionSanitizingFunction();
  }
}
