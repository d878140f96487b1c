package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spring.LeaseLockFactory;
import io.kubernetes.client.openapi.ApiClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * The Kubernetes backends, {@code lease} and {@code configmap}, and the {@link ApiClient} they
 * use unless the application defines one: from the kubeconfig ({@code KUBECONFIG} or
 * {@code ~/.kube/config}) when there is one, else from the pod's service account. Without any
 * sign of Kubernetes no client is created, the backends are not configured, and
 * {@code lock=auto} passes them by; a sign that cannot be used stops startup. With a client, one
 * {@link KubernetesLocks} makes every election's Kubernetes lock and owns the watches they share;
 * it is closed with the context, after the electors.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = LeaderElectionAutoConfiguration.class)
@ConditionalOnClass(ApiClient.class)
@Conditional({OnLeaderElectionEnabledCondition.class, OnSupportedSpringBootCondition.class})
public final class LeaderElectionKubernetesAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnKubernetesCondition.class)
  ApiClient leaderElectionApiClient(Environment environment) {
    return KubernetesConfiguration.client(environment);
  }

  @Bean
  @ConditionalOnBean(ApiClient.class)
  @ConditionalOnMissingBean
  KubernetesLocks leaderElectionKubernetesLocks(ApiClient apiClient) {
    return KubernetesLocks.create(apiClient);
  }

  @Bean
  LeaseLockFactory leaderElectionLeaseLocks(ObjectProvider<KubernetesLocks> locks,
      ObjectProvider<ElectionSettingsResolver> settings) {
    return new KubernetesLockFactory(KubernetesLockFactory.Kind.LEASE, locks.getIfAvailable(),
        settings);
  }

  @Bean
  LeaseLockFactory leaderElectionConfigMapLocks(ObjectProvider<KubernetesLocks> locks,
      ObjectProvider<ElectionSettingsResolver> settings) {
    return new KubernetesLockFactory(KubernetesLockFactory.Kind.CONFIGMAP,
        locks.getIfAvailable(), settings);
  }
}
