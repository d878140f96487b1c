package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.kubernetes.KubernetesLocks;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Sharded groups: one {@link ShardGroup} bean per group under {@code leader-election.groups}
 * ({@code <name>ShardGroup}), its shards' locks and its membership from the backend its
 * {@code lock} property names, on the elections' threads, started after the context is refreshed
 * and closed, with release, before the web server shuts down gracefully. Each shard's terms are
 * published as {@link dev.leaderelection.spring.ShardAcquiredEvent} and
 * {@link dev.leaderelection.spring.ShardLostEvent}, and, on Kubernetes, recorded as Events on the
 * shard's Lease. Only when some group is configured.
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = LeaderElectionAutoConfiguration.class)
@Conditional({OnLeaderElectionEnabledCondition.class, OnSupportedSpringBootCondition.class,
    OnShardGroupsCondition.class})
public final class LeaderElectionGroupsAutoConfiguration {

  /** The bean name of the factory that makes every group. */
  static final String FACTORY_BEAN = "shardGroupFactory";

  /** Groups start with the context even when beans are lazily initialized. */
  @Bean
  static LazyInitializationExcludeFilter shardGroupLazyInitializationExcludeFilter() {
    return LazyInitializationExcludeFilter.forBeanTypes(ShardGroup.class,
        ShardGroupLifecycle.class);
  }

  @Bean(FACTORY_BEAN)
  ShardGroupFactory shardGroupFactory(ElectionSettingsResolver settings, ElectionLocks locks,
      ElectionThreads threads, ApplicationEventPublisher publisher,
      ObjectProvider<GroupContributor> contributors) {
    return new ShardGroupFactory(settings, locks, threads, publisher,
        contributors.orderedStream().toList());
  }

  /** Kubernetes Events on the shards' Leases at each move, in each group that records them. */
  @Bean
  @ConditionalOnBean(KubernetesLocks.class)
  KubernetesGroupEventsContributor leaderElectionKubernetesGroupEvents(KubernetesLocks locks,
      ElectionSettingsResolver settings) {
    return new KubernetesGroupEventsContributor(locks, settings);
  }

  @Bean
  ShardGroupLifecycle shardGroupLifecycle(ShardGroupFactory factory,
      ObjectProvider<ShardGroup> groups, LeaderElectionProperties properties,
      ObjectProvider<ApplicationAvailability> availability) {
    return new ShardGroupLifecycle(factory, groups, properties.waitForReadiness(), availability);
  }
}
