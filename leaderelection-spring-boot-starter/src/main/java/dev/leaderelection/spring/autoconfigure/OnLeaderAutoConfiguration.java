package dev.leaderelection.spring.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Conditional;

/**
 * The {@code @OnLeader} guard: methods run only while this instance leads their election, and
 * {@code @OnLeader} SmartLifecycle beans run only while it leads.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LeaderElectionAutoConfiguration.class)
@Conditional(OnLeaderElectionEnabledCondition.class)
@ConditionalOnBean(LeaderScopedWork.class)
public final class OnLeaderAutoConfiguration {

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static OnLeaderBeanPostProcessor onLeaderBeanPostProcessor(BeanFactory beanFactory,
      Environment environment) {
    LeaderScopedWork work = beanFactory.getBean(LeaderScopedWork.class);
    OnLeaderBeanPostProcessor processor =
        new OnLeaderBeanPostProcessor(new OnLeaderElections(beanFactory, environment), work);
    processor.setProxyTargetClass(
        environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
    return processor;
  }
}
