package dev.leaderelection.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import io.kubernetes.client.openapi.ApiClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** An application whose service account may not touch leases. */
@ExtendWith({KubernetesApiServerExtension.class, OutputCaptureExtension.class})
class ForbiddenLeaseIT {

  @Test
  void refusedLeaseAccessShouldMakeHealthDownNameEveryMissingVerbAndLogOnce(KubernetesApiServer server,
      CapturedOutput output) throws Exception {
    String namespace = server.createNamespace("forbidden");
    ApiClient forbidden = server.clientAs("system:serviceaccount:" + namespace + ":app");
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(
        ElectionTestApplication.class)
        .initializers(initializing -> initializing.getBeanFactory()
            .registerSingleton("apiClient", forbidden))
        .properties("server.port=0", "KUBECONFIG=", "KUBERNETES_SERVICE_HOST=",
            "leader-election.lease-name=forbidden-lease",
            "leader-election.kubernetes.namespace=" + namespace,
            "leader-election.lock=lease",
            "leader-election.lease-duration=3s", "leader-election.renew-deadline=2s",
            "leader-election.retry-period=300ms",
            "management.endpoints.web.exposure.include=health",
            "management.endpoint.health.show-details=always")
        .run()) {
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> elector.lastFailure().isPresent());
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
          .until(() -> !elector.isLeader());

      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(
              "http://127.0.0.1:" + port + "/actuator/health/leaderElection")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(503);
      JsonObject health = JsonParser.parseString(response.body()).getAsJsonObject();
      assertThat(health.get("status").getAsString()).isEqualTo("DOWN");
      JsonObject details = health.getAsJsonObject("details");
      assertThat(details.get("status").getAsInt()).isEqualTo(403);
      assertThat(details.get("reason").getAsString()).isEqualTo("Forbidden");
      assertThat(details.get("refused").getAsString()).isEqualTo("get leases.coordination.k8s.io");
      assertThat(details.get("error").getAsString())
          .contains("Grant the verbs 'get', 'create', 'update' and 'watch' on 'leases' in API "
              + "group 'coordination.k8s.io'");
      assertThat(response.body()).doesNotContainIgnoringCase("bearer");
      String failure = "Leader election on Lease " + namespace + "/forbidden-lease failed";
      assertThat(output.getOut()).as("one WARN for the whole outage").containsOnlyOnce(failure);
    }
  }
}
