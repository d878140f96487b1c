package dev.leaderelection.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two web applications with {@code leader-election.kubernetes.coordinated.enabled=true} on one Lease of a real API
 * server with the CoordinatedLeaderElection gate: the API server's controller names the one of
 * the older version, whichever started first, and the other takes over when it closes. Each
 * application's LeaseCandidate lives exactly as long as the application.
 */
@ExtendWith(KubernetesApiServerExtension.class)
class CoordinatedElectionsIT {

  private static final String LEASE = "coordinated-app";
  /** The controller starts about 3 s after the API server is ready. */
  private static final Duration FIRST_ELECTION = Duration.ofSeconds(30);
  /** After a release the controller waits for its requeue and pings: 5 to 12 s. */
  private static final Duration HANDOVER = Duration.ofSeconds(40);

  private final ElectionHealth health = new ElectionHealth();

  @Test
  void olderVersionShouldLeadAndTheNewerShouldTakeOverWhenItCloses(KubernetesApiServer server)
      throws Exception {
    String namespace = server.createNamespace("coordinated");
    Path kubeconfig = server.kubeconfigFile();
    try (ConfigurableApplicationContext newer = start(kubeconfig, namespace, "app-new", "1.1.0")) {
      LeaderElector newElector = newer.getBean(LeaderElector.class);
      String newIdentity = newElector.identity();
      assertThat(newIdentity).matches("app-new-[0-9a-f]{8}");

      ConfigurableApplicationContext older = start(kubeconfig, namespace, "app-old", "1.0.0");
      LeaderElector oldElector = older.getBean(LeaderElector.class);
      String oldIdentity = oldElector.identity();
      try {
        await().atMost(FIRST_ELECTION)
            .until(() -> oldElector.isLeader() && !newElector.isLeader());
        assertThat(server.leaseCandidateNames(namespace)).contains(oldIdentity, newIdentity);

        JsonObject leaderHealth = health.of(older, 200);
        assertThat(leaderHealth.get("status").getAsString()).isEqualTo("UP");
        assertThat(ElectionHealth.detail(leaderHealth, "role")).isEqualTo("LEADER");
        assertThat(ElectionHealth.detail(leaderHealth, "identity")).isEqualTo(oldIdentity);
        assertThat(ElectionHealth.detail(leaderHealth, "coordination")).isEqualTo(
            "LeaseCandidate " + namespace + "/" + oldIdentity + " (coordination.k8s.io/v1beta1, "
                + "Lease " + LEASE + ", version 1.0.0)");
        assertThat(leaderHealth.getAsJsonObject("details").has("coordinationError")).isFalse();
        JsonObject followerHealth = health.of(newer, 200);
        assertThat(ElectionHealth.detail(followerHealth, "leader")).isEqualTo(oldIdentity);
        assertThat(ElectionHealth.detail(followerHealth, "coordination"))
            .endsWith("Lease " + LEASE + ", version 1.1.0)");
      } finally {
        older.close();
      }

      assertThat(server.leaseCandidateNames(namespace)).as("withdrawn when its application closed")
          .doesNotContain(oldIdentity).contains(newIdentity);
      await().atMost(HANDOVER).until(newElector::isLeader);
      assertThat(ElectionHealth.detail(health.of(newer, 200), "role")).isEqualTo("LEADER");
      assertThat(holder(server, namespace)).isEqualTo(newIdentity);
    }
  }

  private static ConfigurableApplicationContext start(Path kubeconfig, String namespace,
      String podName, String version) {
    // Command-line arguments outrank the environment: an ambient KUBECONFIG cannot win.
    return new SpringApplicationBuilder(ElectionTestApplication.class).run(
        "--server.port=0",
        "--KUBECONFIG=" + kubeconfig,
        "--POD_NAME=" + podName,
        "--leader-election.lease-name=" + LEASE,
        "--leader-election.kubernetes.namespace=" + namespace,
        "--leader-election.kubernetes.coordinated.enabled=true",
        "--leader-election.kubernetes.coordinated.binary-version=" + version,
        "--leader-election.lease-duration=6s",
        "--leader-election.renew-deadline=4s",
        "--leader-election.retry-period=1s",
        "--management.endpoints.web.exposure.include=health",
        "--management.endpoint.health.show-details=always");
  }

  private static String holder(KubernetesApiServer server, String namespace) {
    return JsonParser.parseString(server.raw("GET", "/apis/coordination.k8s.io/v1/namespaces/"
            + namespace + "/leases/" + LEASE, null)).getAsJsonObject()
        .getAsJsonObject("spec").get("holderIdentity").getAsString();
  }
}
