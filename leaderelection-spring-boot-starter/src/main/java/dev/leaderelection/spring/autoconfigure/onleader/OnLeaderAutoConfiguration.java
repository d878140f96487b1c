package dev.leaderelection.spring.autoconfigure.onleader;

import dev.leaderelection.spring.autoconfigure.LeaderElectionAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * The {@code @OnLeader} guard: methods run only while this instance leads their election, and
 * {@code @OnLeader} SmartLifecycle beans run only while it leads.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LeaderElectionAutoConfiguration.class)
@ConditionalOnBean(LeaderElections.class)
public final class OnLeaderAutoConfiguration {

  /** Also an election contributor: every elector starts and stops this work. */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static LeaderScopedWork leaderScopedWork() {
    return new LeaderScopedWork();
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static OnLeaderBeanPostProcessor onLeaderBeanPostProcessor(LeaderElections elections,
      LeaderScopedWork work, Environment environment) {
    OnLeaderBeanPostProcessor processor = new OnLeaderBeanPostProcessor(elections, work);
    processor.setProxyTargetClass(
        environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
    return processor;
  }
}
