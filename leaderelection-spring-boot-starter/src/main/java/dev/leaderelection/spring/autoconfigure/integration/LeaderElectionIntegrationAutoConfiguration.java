package dev.leaderelection.spring.autoconfigure.integration;

import dev.leaderelection.spring.autoconfigure.ElectionContributor;
import dev.leaderelection.spring.autoconfigure.LeaderElectionAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.leader.event.OnGrantedEvent;

/**
 * With Spring Integration on the classpath, every election is also a Spring Integration role
 * named after it: endpoints annotated {@code @Role("<election>")} run on the leader only, and the
 * events' {@code Context.yield()} yields leadership.
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = LeaderElectionAutoConfiguration.class)
@ConditionalOnClass(OnGrantedEvent.class)
@ConditionalOnBean(LeaderElections.class)
public final class LeaderElectionIntegrationAutoConfiguration {

  @Bean
  ElectionContributor leaderElectionIntegrationRoles(ApplicationEventPublisher publisher) {
    return new IntegrationRoleEvents(publisher);
  }
}
