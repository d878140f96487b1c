package dev.leaderelection.spring.autoconfigure;

import io.kubernetes.client.openapi.ApiClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * The Kubernetes {@link ApiClient} for leader election, unless the application defines one:
 * from the kubeconfig ({@code KUBECONFIG} or {@code ~/.kube/config}) when there is one, else from
 * the pod's service account. Without any sign of Kubernetes no client is created and
 * {@code lock=auto} uses the in-memory lock; a sign that cannot be used stops startup.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass(ApiClient.class)
@Conditional({OnLeaderElectionEnabledCondition.class, OnSupportedSpringBootCondition.class})
public final class LeaderElectionApiClientAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnKubernetesCondition.class)
  ApiClient leaderElectionApiClient(Environment environment) {
    return KubernetesConfiguration.client(environment);
  }
}
