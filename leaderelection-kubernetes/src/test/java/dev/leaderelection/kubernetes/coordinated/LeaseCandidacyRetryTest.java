package dev.leaderelection.kubernetes.coordinated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.FakeTicker;
import dev.leaderelection.ManualScheduler;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.LockClient;
import dev.leaderelection.kubernetes.testing.FakeHttpServer;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a candidacy retries when the API server keeps answering 404 (a namespace that does not
 * exist answers every create so): once at once, as for a candidate deleted meanwhile, then after
 * the back-off, never in a loop of requests without a pause. A real HTTP server answers; time is
 * a manual scheduler's, so the requests counted are exactly those of each instant.
 */
class LeaseCandidacyRetryTest {

  private static final String PATH = "/apis/coordination.k8s.io/v1beta1";
  private static final String RESOURCES = "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\","
      + "\"groupVersion\":\"coordination.k8s.io/v1beta1\",\"resources\":[{\"name\":"
      + "\"leasecandidates\",\"singularName\":\"\",\"namespaced\":true,\"kind\":"
      + "\"LeaseCandidate\",\"verbs\":[\"create\",\"get\",\"update\",\"delete\",\"watch\"]}]}";

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final FakeTicker ticker = new FakeTicker();
  private final ManualScheduler scheduler = ManualScheduler.executingAtOnce(ticker);
  private FakeHttpServer server;
  private LockClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = new FakeHttpServer(exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals(PATH)) {
        FakeHttpServer.answer(exchange, 200, RESOURCES);
        return;
      }
      requests.add(exchange.getRequestMethod());
      FakeHttpServer.answer(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
          + "\"status\":\"Failure\",\"message\":\"namespaces \\\"payments\\\" not found\","
          + "\"reason\":\"NotFound\",\"code\":404}");
    });
    client = LockClient.derivedFrom(new ApiClient().setBasePath(server.basePath()));
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.close();
  }

  @Test
  void namespaceThatDoesNotExistShouldBeRetriedOnceAtOnceThenAfterTheBackOff() {
    LeaseCandidateApi api = LeaseCandidateApi.discover(client, Duration.ofSeconds(5), "payments",
        "a1", Duration.ofSeconds(30));
    LeaseCandidacy candidacy = new LeaseCandidacy(api, "report-job", "1.36.0", "1.36.0",
        Duration.ofSeconds(5), ticker.clock(), scheduler);

    candidacy.announce();
    scheduler.runDue();

    // Read (404: none), create (404), then once more at once, then a failure and a pause.
    assertThat(requests).containsExactly("GET", "POST", "GET", "POST");
    assertThat(candidacy.failure()).get().isInstanceOfSatisfying(KubernetesApiException.class,
        failure -> assertThat(failure.statusCode()).isEqualTo(404));
    assertThat(scheduler.untilNext()).isEqualTo(Duration.ofSeconds(1));

    scheduler.advance(Duration.ofSeconds(1));
    assertThat(requests).hasSize(8);
    assertThat(scheduler.untilNext()).isEqualTo(Duration.ofSeconds(2));
  }
}
