package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLock;
import dev.leaderelection.spring.LeaderElectorCustomizer;
import io.kubernetes.client.openapi.ApiClient;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Leader election: one {@link LeaderElector} bean per election ({@code leaderElector} for the
 * default election, {@code <name>LeaderElector} for each named one), started after the context is
 * refreshed and closed, with release, before the web server shuts down gracefully.
 */
@AutoConfiguration(after = LeaderElectionApiClientAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "leader-election.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LeaderElectionProperties.class)
@Import(NamedElectionsRegistrar.class)
public final class LeaderElectionAutoConfiguration {

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static LeaderScopedWork leaderScopedWork() {
    return new LeaderScopedWork();
  }

  @Bean
  ElectionSettingsResolver leaderElectionSettings(LeaderElectionProperties properties,
      Environment environment) {
    ElectionSettingsResolver resolver = new ElectionSettingsResolver(properties, environment);
    resolver.resolveAll();
    return resolver;
  }

  @Bean
  ElectionExecutors leaderElectionExecutors() {
    return new ElectionExecutors();
  }

  @Bean
  LeaderElectorFactory leaderElectorFactory(ElectionSettingsResolver settings,
      ObjectProvider<ApiClient> apiClient, ElectionExecutors executors,
      ApplicationEventPublisher publisher, LeaderScopedWork work,
      ObjectProvider<ElectionObserver> observer,
      ObjectProvider<LeaderElectorCustomizer> customizers, ObjectProvider<LeaseLock> locks,
      ListableBeanFactory beanFactory, LeaderElectionProperties properties,
      Environment environment) {
    ElectionLocks electionLocks = new ElectionLocks(apiClient.getIfAvailable(),
        election -> LeaderElectionProperties.DEFAULT_ELECTION.equals(election)
            ? locks.getIfUnique()
            : beanFactory.containsBean(election + "LeaseLock")
                ? beanFactory.getBean(election + "LeaseLock", LeaseLock.class) : null);
    return new LeaderElectorFactory(settings, electionLocks,
        executors, publisher, work, observer.getIfAvailable(),
        customizers.orderedStream().toList(),
        IdentityGenerator.identity(properties, environment));
  }

  @Bean
  @ConditionalOnMissingBean(LeaderElector.class)
  @ConditionalOnProperty("leader-election.lease-name")
  LeaderElector leaderElector(LeaderElectorFactory factory) {
    return factory.create(LeaderElectionProperties.DEFAULT_ELECTION);
  }

  @Bean
  LeaderElectionLifecycle leaderElectionLifecycle(LeaderElectorFactory factory) {
    return new LeaderElectionLifecycle(factory);
  }
}
