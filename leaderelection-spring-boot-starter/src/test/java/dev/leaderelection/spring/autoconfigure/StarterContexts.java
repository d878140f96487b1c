package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.spring.autoconfigure.endpoint.LeaderElectionEndpointAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.health.LeaderElectionHealthContributorAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.integration.LeaderElectionIntegrationAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.metrics.LeaderElectionMetricsAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.onleader.OnLeaderAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.sanitizing.LeaderElectionSanitizingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Application contexts with every auto-configuration of the starter, for the tests. */
public final class StarterContexts {

  /** Every auto-configuration of the starter, as the imports file lists them. */
  public static final AutoConfigurations ALL = AutoConfigurations.of(
      LeaderElectionKubernetesAutoConfiguration.class, LeaderElectionEtcdAutoConfiguration.class,
      LeaderElectionInMemoryAutoConfiguration.class, LeaderElectionAutoConfiguration.class,
      LeaderElectionGroupsAutoConfiguration.class,
      OnLeaderAutoConfiguration.class, LeaderElectionHealthContributorAutoConfiguration.class,
      LeaderElectionMetricsAutoConfiguration.class,
      LeaderElectionEndpointAutoConfiguration.class,
      LeaderElectionSanitizingAutoConfiguration.class,
      LeaderElectionIntegrationAutoConfiguration.class);

  private StarterContexts() {
  }

  /** No Kubernetes: no kubeconfig, no service account, nothing else configured. */
  public static ApplicationContextRunner bare() {
    return new ApplicationContextRunner()
        .withConfiguration(ALL)
        .withPropertyValues("KUBECONFIG=", "KUBERNETES_SERVICE_HOST=");
  }

  /** No Kubernetes unless a test configures one; an in-memory default election. */
  public static ApplicationContextRunner runner() {
    return bare().withPropertyValues("leader-election.lease-name=my-app",
        "leader-election.lock=in-memory");
  }
}
