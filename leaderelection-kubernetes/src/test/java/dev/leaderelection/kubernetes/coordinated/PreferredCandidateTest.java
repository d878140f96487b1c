package dev.leaderelection.kubernetes.coordinated;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.leaderelection.kubernetes.LockClient;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1beta1LeaseCandidate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whether {@link PreferredCandidate} finds the controller's preference stale, judged from the
 * preferred candidate's LeaseCandidate as a real HTTP server answers it: gone, or not outranking
 * this candidate by the controller's OldestEmulationVersion rules (this one outranks it, or they
 * tie: same versions, created in the same second). A live candidate that outranks this one is
 * never stale. Every answer here is immediate (no ping is pending), so no time passes.
 */
class PreferredCandidateTest {

  private static final String NAMESPACE = "payments";
  private static final String PATH = "/apis/coordination.k8s.io/v1beta1";
  private static final String VERSION = "1.36.0";
  private static final OffsetDateTime CREATED = OffsetDateTime.parse("2026-03-02T04:00:25.200Z");
  private static final String CANDIDATE = "{\"apiVersion\":\"coordination.k8s.io/v1beta1\","
      + "\"kind\":\"LeaseCandidate\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"payments\","
      + "\"creationTimestamp\":\"%s\"},\"spec\":{\"leaseName\":\"report-job\","
      + "\"binaryVersion\":\"%s\",\"emulationVersion\":\"%s\","
      + "\"strategy\":\"OldestEmulationVersion\",\"renewTime\":\"2026-03-02T04:00:30.000000Z\"}}";

  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private HttpServer server;
  private PreferredCandidate preferred;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String body = answers.get(exchange.getRequestURI().getPath());
      byte[] bytes = (body != null ? body : "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
          + "\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(body != null ? 200 : 404, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    answers.put(PATH, "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":"
        + "\"coordination.k8s.io/v1beta1\",\"resources\":[{\"name\":\"leasecandidates\","
        + "\"singularName\":\"\",\"namespaced\":true,\"kind\":\"LeaseCandidate\","
        + "\"verbs\":[\"get\"]}]}");
    ApiClient client = new ApiClient()
        .setBasePath("http://127.0.0.1:" + server.getAddress().getPort());
    LeaseCandidateApi api = LeaseCandidateApi.discover(LockClient.derivedFrom(client),
        Duration.ofSeconds(5), NAMESPACE, "a1", Duration.ofSeconds(30));
    preferred = new PreferredCandidate(api, VERSION, VERSION);
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void livePreferredCandidateTiedWithThisOneShouldBeStale() {
    serve("b1", CREATED.plusNanos(700_000_000), VERSION); // 04:00:25.9, the same second

    assertThat(staleAfterChecking("b1")).isTrue();
    assertThat(preferred.stale(System.nanoTime()).why()).startsWith("it ties with this candidate");
  }

  @Test
  void livePreferredCandidateCreatedASecondEarlierShouldNotBeStale() {
    serve("b1", CREATED.minusNanos(300_000_000), VERSION); // 04:00:24.9

    assertThat(staleAfterChecking("b1")).isFalse();
    assertThat(preferred.stale(System.nanoTime())).isNull();
  }

  @Test
  void livePreferredCandidateOfAnOlderVersionShouldNotBeStale() {
    serve("b1", CREATED.plusSeconds(60), "1.35.2");

    assertThat(staleAfterChecking("b1")).isFalse();
  }

  @Test
  void livePreferredCandidateThisOneOutranksShouldBeStale() {
    serve("b1", CREATED.plusSeconds(1), VERSION);
    serve("c1", CREATED.minusSeconds(60), "1.37.0");

    assertThat(staleAfterChecking("b1")).isTrue();
    assertThat(staleAfterChecking("c1")).isTrue();
  }

  @Test
  void preferredCandidateWhoseLeaseCandidateIsGoneShouldBeStale() {
    assertThat(staleAfterChecking("b1")).isTrue();
    assertThat(preferred.stale(System.nanoTime()).why()).isEqualTo("its LeaseCandidate is gone");
  }

  @Test
  void tieThatCannotBeJudgedWithoutThisCandidatesCreationTimeShouldNotBeStale() {
    serve("b1", CREATED, VERSION);
    preferred.check("b1", new V1beta1LeaseCandidate().metadata(new V1ObjectMeta().name("a1")));

    assertThat(preferred.isStale("b1", System.nanoTime())).isFalse();
  }

  private void serve(String name, OffsetDateTime created, String version) {
    answers.put(PATH + "/namespaces/" + NAMESPACE + "/leasecandidates/" + name,
        CANDIDATE.formatted(name, created, version, version));
  }

  /** Checks {@code identity} as the candidacy's thread does, with a1 created at CREATED. */
  private boolean staleAfterChecking(String identity) {
    preferred.check(identity, new V1beta1LeaseCandidate().metadata(new V1ObjectMeta().name("a1")
        .namespace(NAMESPACE).creationTimestamp(CREATED)));
    return preferred.isStale(identity, System.nanoTime());
  }
}
