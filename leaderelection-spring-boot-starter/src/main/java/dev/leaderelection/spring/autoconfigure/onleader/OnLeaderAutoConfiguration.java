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
 * {@code @OnLeader} SmartLifecycle beans run only while it leads; and the {@code @OnShardOwner}
 * guard: methods run only on the owner of their key's shard.
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

  /** A group contributor too: a lost shard waits for its {@code @OnShardOwner} calls. */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static ShardScopedWork shardScopedWork() {
    return new ShardScopedWork();
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static OnShardOwnerBeanPostProcessor onShardOwnerBeanPostProcessor(LeaderElections elections,
      ShardScopedWork work, Environment environment) {
    OnShardOwnerBeanPostProcessor processor = new OnShardOwnerBeanPostProcessor(elections, work);
    processor.setProxyTargetClass(
        environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
    return processor;
  }
}
