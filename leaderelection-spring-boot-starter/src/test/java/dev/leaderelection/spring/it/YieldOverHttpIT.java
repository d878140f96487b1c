package dev.leaderelection.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonParser;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import dev.leaderelection.spring.LeadershipAcquiredEvent;
import dev.leaderelection.spring.LeadershipLostEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two applications on a real API server, a 15 s lease: a {@code POST} to the leader's
 * {@code /actuator/leaderelection/default} hands over to the other at once (the released lease is
 * taken as the follower's watch sees it), long before the lease could expire; the yielder follows
 * and competes again after its back-off.
 */
@ExtendWith(KubernetesApiServerExtension.class)
class YieldOverHttpIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void yieldOverHttpShouldHandOverAtOnceLongBeforeTheLeaseExpires(KubernetesApiServer server)
      throws Exception {
    Path kubeconfig = server.kubeconfigFile();
    String namespace = server.createNamespace("yield");
    try (ConfigurableApplicationContext a = start("app-a", kubeconfig, namespace)) {
      await().atMost(WAIT).until(() -> elector(a).isLeader());
      try (ConfigurableApplicationContext b = start("app-b", kubeconfig, namespace)) {
        await().atMost(WAIT).until(() -> elector(b).leader().filter("app-a"::equals).isPresent());

        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port(a) + "/actuator/leaderelection/default"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"action\": \"yield\", \"for\": \"1m\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JsonParser.parseString(response.body()).getAsJsonObject().get("yielded")
            .getAsBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> elector(b).isLeader());
        Duration handOver = Duration.ofNanos(System.nanoTime() - sent);
        System.out.println("Yield over HTTP handed over in " + handOver.toMillis() + " ms");

        assertThat(handOver).as("far shorter than the 15 s lease: a release, not an expiry")
            .isLessThan(Duration.ofSeconds(10));
        assertThat(elector(a).isLeader()).isFalse();
        assertThat(a.getBean(ElectionTestApplication.EventRecorder.class)
            .of(LeadershipLostEvent.class)).singleElement()
            .satisfies(event -> assertThat(event.reason()).isEqualTo(StepDownReason.YIELDED));
        assertThat(b.getBean(ElectionTestApplication.EventRecorder.class)
            .of(LeadershipAcquiredEvent.class)).singleElement()
            .satisfies(event -> assertThat(event.fencingToken()).isEqualTo(1));
      }
    }
  }

  private static ConfigurableApplicationContext start(String identity, Path kubeconfig,
      String namespace) {
    return new SpringApplicationBuilder(ElectionTestApplication.class).run(
        "--server.port=0",
        "--KUBECONFIG=" + kubeconfig,
        "--leader-election.lease-name=yielded-lease",
        "--leader-election.kubernetes.namespace=" + namespace,
        "--leader-election.identity=" + identity,
        "--leader-election.lease-duration=15s",
        "--leader-election.renew-deadline=10s",
        "--leader-election.retry-period=2s",
        "--management.endpoints.web.exposure.include=leaderelection");
  }

  private static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  private static LeaderElector elector(ConfigurableApplicationContext context) {
    return context.getBean(LeaderElector.class);
  }
}
