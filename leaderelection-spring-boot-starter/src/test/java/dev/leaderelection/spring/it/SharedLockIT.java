package dev.leaderelection.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import io.kubernetes.client.openapi.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Two elections of one application on one Lease of a real API server: startup refuses them,
 * instead of one process leading both with different fencing tokens.
 */
@ExtendWith({KubernetesApiServerExtension.class, OutputCaptureExtension.class})
class SharedLockIT {

  @Test
  void twoElectionsOnOneLeaseShouldStopTheStartupNamingBoth(KubernetesApiServer server,
      CapturedOutput output) {
    String namespace = server.createNamespace("shared");
    ApiClient client = server.adminClient();

    assertThatThrownBy(() -> new SpringApplicationBuilder(ElectionTestApplication.class)
        .initializers(initializing -> initializing.getBeanFactory()
            .registerSingleton("apiClient", client))
        .run("--server.port=0", "--KUBECONFIG=", "--KUBERNETES_SERVICE_HOST=",
            "--leader-election.lock=lease",
            "--leader-election.kubernetes.namespace=" + namespace,
            "--leader-election.lease-name=shared",
            "--leader-election.elections.reports.lease-name=shared"))
        .isInstanceOf(RuntimeException.class);

    assertThat(output).contains("APPLICATION FAILED TO START")
        .containsAnyOf("leader-election.elections.reports.lease-name is 'shared' but holds "
                + "election 'reports' on Lease " + namespace + "/shared, which election "
                + "'default' of this application holds too",
            "leader-election.lease-name is 'shared' but holds election 'default' on Lease "
                + namespace + "/shared, which election 'reports' of this application holds too")
        .contains("give each election a lock of its own");
  }
}
