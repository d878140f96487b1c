package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.ElectionLockProvider;
import dev.leaderelection.spring.LeaderElectorCustomizer;
import dev.leaderelection.spring.LeaseLockFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.info.ProjectInfoAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Leader election: one {@link LeaderElector} bean per election ({@code leaderElector} for the
 * default election, {@code <name>LeaderElector} for each named one), started after the context is
 * refreshed and closed, with release, before the web server shuts down gracefully. Each election
 * uses the application's lock when an {@link ElectionLockProvider} (or, for the default election,
 * a single {@link LeaseLock} bean) gives one, otherwise the lock of the backend
 * ({@link LeaseLockFactory}) its {@code lock} property names. In a
 * coordinated election ({@code leader-election.kubernetes.coordinated.enabled}) the API server chooses the leader
 * among the LeaseCandidates of its instances.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = {LeaderElectionKubernetesAutoConfiguration.class,
    ProjectInfoAutoConfiguration.class})
@Conditional({OnLeaderElectionEnabledCondition.class, OnSupportedSpringBootCondition.class})
@EnableConfigurationProperties(LeaderElectionProperties.class)
@Import(NamedElectionsRegistrar.class)
public final class LeaderElectionAutoConfiguration {

  /** The bean name of the factory that makes every election's elector. */
  static final String FACTORY_BEAN = "leaderElectorFactory";

  /** Electors start with the context even when beans are lazily initialized. */
  @Bean
  static LazyInitializationExcludeFilter leaderElectionLazyInitializationExcludeFilter() {
    return LazyInitializationExcludeFilter.forBeanTypes(LeaderElector.class,
        LeaderElectionLifecycle.class);
  }

  /** The settings of every election; coordinated ones take their version from build-info. */
  @Bean
  ElectionSettingsResolver leaderElectionSettings(LeaderElectionProperties properties,
      Environment environment, LeaderElections elections,
      ObjectProvider<BuildProperties> buildProperties) {
    BuildProperties build = buildProperties.getIfAvailable();
    ElectionSettingsResolver resolver = new ElectionSettingsResolver(properties, environment,
        elections, build == null ? null : build.getVersion());
    resolver.resolveAll();
    return resolver;
  }

  /** The threads all elections share; closed with the context, after the electors stopped. */
  @Bean
  @ConditionalOnMissingBean
  ElectionThreads leaderElectionThreads(LeaderElectionProperties properties) {
    int threads = properties.lockCallThreads();
    if (threads < 1 || threads > ElectionThreads.MAX_LOCK_CALL_THREADS) {
      throw new InvalidLeaderElectionPropertyException("leader-election.lock-call-threads",
          Integer.toString(threads), "must be between 1 and "
              + ElectionThreads.MAX_LOCK_CALL_THREADS + ": rounds that hold a thread only for "
              + "their decisions never need more",
          "remove the property (default " + ElectionThreads.DEFAULT_LOCK_CALL_THREADS
              + ") or set it between 1 and " + ElectionThreads.MAX_LOCK_CALL_THREADS);
    }
    return ElectionThreads.create(threads);
  }

  /** Where each election's backend is chosen, among every backend present. */
  @Bean
  ElectionLocks leaderElectionLocks(ObjectProvider<LeaseLockFactory> backends,
      ObjectProvider<ElectionLockProvider> lockProviders, ObjectProvider<LeaseLock> lockBeans,
      LeaderElections elections) {
    return new ElectionLocks(backends.orderedStream().toList(), lockProviders, lockBeans,
        elections);
  }

  /** Kubernetes Events on the Lease at each transition, in each election that records them. */
  @Bean
  @ConditionalOnBean(KubernetesLocks.class)
  KubernetesEventsContributor leaderElectionKubernetesEvents(KubernetesLocks locks,
      ElectionSettingsResolver settings) {
    return new KubernetesEventsContributor(locks, settings);
  }

  /** A LeaseCandidate for each coordinated election; always here, so none is ignored. */
  @Bean
  KubernetesCandidacyContributor leaderElectionCoordination(
      ObjectProvider<KubernetesLocks> kubernetesLocks, ElectionSettingsResolver settings) {
    return new KubernetesCandidacyContributor(kubernetesLocks.getIfAvailable(), settings);
  }

  @Bean
  LeadershipEvents leaderElectionEvents(ApplicationEventPublisher publisher) {
    return new LeadershipEvents(publisher);
  }

  @Bean(FACTORY_BEAN)
  LeaderElectorFactory leaderElectorFactory(ElectionSettingsResolver settings,
      ElectionThreads threads, ElectionLocks locks,
      ObjectProvider<ElectionContributor> contributors,
      ObjectProvider<LeaderElectorCustomizer> customizers) {
    return new LeaderElectorFactory(settings, locks, threads,
        contributors.orderedStream().toList(), customizers.orderedStream().toList());
  }

  @Bean
  @ConditionalOnMissingBean(LeaderElector.class)
  @ConditionalOnProperty("leader-election.lease-name")
  LeaderElector leaderElector(LeaderElectorFactory factory) {
    return factory.create(LeaderElectionProperties.DEFAULT_ELECTION);
  }

  @Bean
  LeaderElectionLifecycle leaderElectionLifecycle(LeaderElectorFactory factory,
      ObjectProvider<LeaderElector> electors, LeaderElectionProperties properties,
      ObjectProvider<ApplicationAvailability> availability) {
    return new LeaderElectionLifecycle(factory, electors, properties.waitForReadiness(),
        availability);
  }
}
