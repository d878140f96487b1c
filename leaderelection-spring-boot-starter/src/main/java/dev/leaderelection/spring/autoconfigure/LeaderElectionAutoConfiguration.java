package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLock;
import dev.leaderelection.spring.LeaderElectorCustomizer;
import io.kubernetes.client.openapi.ApiClient;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Leader election: one {@link LeaderElector} bean per election ({@code leaderElector} for the
 * default election, {@code <name>LeaderElector} for each named one), started after the context is
 * refreshed and closed, with release, before the web server shuts down gracefully.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LeaderElectionApiClientAutoConfiguration.class)
@Conditional({OnLeaderElectionEnabledCondition.class, OnSupportedSpringBootCondition.class})
@EnableConfigurationProperties(LeaderElectionProperties.class)
@Import(NamedElectionsRegistrar.class)
public final class LeaderElectionAutoConfiguration {

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static LeaderScopedWork leaderScopedWork() {
    return new LeaderScopedWork();
  }

  /** Electors start with the context even when beans are lazily initialized. */
  @Bean
  static LazyInitializationExcludeFilter leaderElectionLazyInitializationExcludeFilter() {
    return LazyInitializationExcludeFilter.forBeanTypes(LeaderElector.class,
        LeaderElectionLifecycle.class);
  }

  @Bean
  ElectionSettingsResolver leaderElectionSettings(LeaderElectionProperties properties,
      Environment environment) {
    ElectionSettingsResolver resolver = new ElectionSettingsResolver(properties, environment);
    resolver.resolveAll();
    return resolver;
  }

  /** The threads all elections share; closed with the context, after the electors stopped. */
  @Bean
  @ConditionalOnMissingBean
  ElectionThreads leaderElectionThreads(LeaderElectionProperties properties) {
    int threads = properties.lockCallThreads();
    if (threads < 1) {
      throw new InvalidLeaderElectionPropertyException("leader-election.lock-call-threads",
          Integer.toString(threads), "must be 1 or more",
          "remove the property (default " + ElectionThreads.DEFAULT_LOCK_CALL_THREADS
              + ") or set it to 1 or more");
    }
    return ElectionThreads.create(threads);
  }

  @Bean
  LeaderElectorFactory leaderElectorFactory(ElectionSettingsResolver settings,
      ObjectProvider<ApiClient> apiClient, ElectionThreads threads,
      ApplicationEventPublisher publisher, LeaderScopedWork work,
      ObjectProvider<ElectionObserver> observer,
      ObjectProvider<LeaderElectorCustomizer> customizers, ListableBeanFactory beanFactory, LeaderElectionProperties properties,
      Environment environment) {
    ElectionLocks electionLocks = new ElectionLocks(apiClient.getIfAvailable(),
        election -> userLock(beanFactory, settings, election));
    return new LeaderElectorFactory(settings, electionLocks,
        threads, publisher, work, observer.getIfAvailable(),
        customizers.orderedStream().toList(),
        IdentityGenerator.identity(properties, environment));
  }

  /**
   * The application's lock for an election: the bean {@code <name>LeaseLock} for a named one;
   * for the default election the only LeaseLock bean that is not a named election's.
   */
  private static LeaseLock userLock(ListableBeanFactory beanFactory,
      ElectionSettingsResolver settings, String election) {
    if (!LeaderElectionProperties.DEFAULT_ELECTION.equals(election)) {
      String name = election + "LeaseLock";
      return beanFactory.containsBean(name) ? beanFactory.getBean(name, LeaseLock.class) : null;
    }
    java.util.Set<String> named = new java.util.HashSet<>();
    settings.resolveAll().forEach(resolved -> named.add(resolved.name() + "LeaseLock"));
    java.util.List<String> candidates = java.util.Arrays.stream(
            beanFactory.getBeanNamesForType(LeaseLock.class))
        .filter(name -> !named.contains(name)).toList();
    return candidates.size() == 1 ? beanFactory.getBean(candidates.get(0), LeaseLock.class) : null;
  }

  @Bean
  @ConditionalOnMissingBean(LeaderElector.class)
  @ConditionalOnProperty("leader-election.lease-name")
  LeaderElector leaderElector(LeaderElectorFactory factory) {
    return factory.create(LeaderElectionProperties.DEFAULT_ELECTION);
  }

  @Bean
  LeaderElectionLifecycle leaderElectionLifecycle(LeaderElectorFactory factory,
      ObjectProvider<LeaderElector> electors) {
    return new LeaderElectionLifecycle(factory, electors);
  }
}
