package dev.leaderelection.spring.autoconfigure;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * The Kubernetes {@link ApiClient} for leader election, unless the application defines one:
 * from the kubeconfig ({@code KUBECONFIG} or {@code ~/.kube/config}) when there is one, else from
 * the pod's service account. Without either, no client is created and {@code lock=auto} uses the
 * in-memory lock.
 */
@AutoConfiguration
@ConditionalOnClass(ApiClient.class)
@Conditional({OnLeaderElectionEnabledCondition.class, OnSupportedSpringBootCondition.class})
public final class LeaderElectionApiClientAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnKubernetesCondition.class)
  ApiClient leaderElectionApiClient(Environment environment) throws IOException {
    Path kubeconfig = OnKubernetesCondition.kubeconfig(environment);
    return kubeconfig != null ? Config.fromConfig(kubeconfig.toString()) : Config.fromCluster();
  }
}
