package dev.leaderelection.kubernetes.coordinated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.sun.net.httpserver.HttpServer;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.Candidacy;
import dev.leaderelection.spi.LockReference;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link KubernetesLocks#leaseCandidate} finds the LeaseCandidate version an API server
 * serves, and refuses bad settings before asking, against a real HTTP server that answers
 * discovery as API servers with and without the CoordinatedLeaderElection gate do.
 */
class LeaseCandidateDiscoveryTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final LockReference LEASE = new LockReference("Lease", "payments", "report-job");
  private static final String RESOURCES = "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\","
      + "\"groupVersion\":\"coordination.k8s.io/%s\",\"resources\":[{\"name\":\"%s\","
      + "\"singularName\":\"\",\"namespaced\":true,\"kind\":\"LeaseCandidate\","
      + "\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"update\",\"watch\"]}]}";

  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private KubernetesLocks locks;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
      String body = answers.get(exchange.getRequestURI().getPath());
      byte[] bytes = (body != null ? body : "404 page not found").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type",
          body != null ? "application/json" : "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(body != null ? 200 : 404, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
    locks = KubernetesLocks.create(new ApiClient()
        .setBasePath("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  @AfterEach
  void stopServer() {
    locks.close();
    server.stop(0);
  }

  @Test
  void serverWithoutLeaseCandidatesShouldFailNamingTheFeatureGate() {
    assertThatExceptionOfType(CoordinatedElectionUnavailableException.class)
        .isThrownBy(() -> locks.leaseCandidate(LEASE, "pod-a", "1.4.2", "1.4.2", TIMEOUT))
        .withMessageContaining("does not serve LeaseCandidates")
        .withMessageContaining("--feature-gates=CoordinatedLeaderElection=true")
        .withMessageContaining("--runtime-config=coordination.k8s.io/v1beta1=true");
    assertThat(requests).containsExactly("GET /apis/coordination.k8s.io/v1beta1",
        "GET /apis/coordination.k8s.io/v1alpha2");
  }

  @Test
  void groupVersionWithoutTheResourceShouldCountAsNotServed() {
    answers.put("/apis/coordination.k8s.io/v1beta1", RESOURCES.formatted("v1beta1", "other"));

    assertThatExceptionOfType(CoordinatedElectionUnavailableException.class)
        .isThrownBy(() -> locks.leaseCandidate(LEASE, "pod-a", "1.4.2", "1.4.2", TIMEOUT));
  }

  @Test
  void servedVersionShouldBeTheNewestServed() {
    answers.put("/apis/coordination.k8s.io/v1alpha2",
        RESOURCES.formatted("v1alpha2", "leasecandidates"));
    Candidacy alpha = locks.leaseCandidate(LEASE, "pod-a", "1.4.2", "1.4.0", TIMEOUT);
    answers.put("/apis/coordination.k8s.io/v1beta1",
        RESOURCES.formatted("v1beta1", "leasecandidates"));
    Candidacy beta = locks.leaseCandidate(LEASE, "pod-a", "1.4.2", "1.4.2", TIMEOUT);

    assertThat(alpha.describe()).isEqualTo("LeaseCandidate payments/pod-a (coordination.k8s.io/"
        + "v1alpha2, Lease report-job, version 1.4.2 emulating 1.4.0)");
    assertThat(beta.describe()).contains("coordination.k8s.io/v1beta1");
  }

  @Test
  void identityThatIsNoObjectNameShouldFailBeforeAnyRequest() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> locks.leaseCandidate(LEASE, "pod-a_3f2c9e1d", "1.4.2", "1.4.2",
            TIMEOUT))
        .withMessageStartingWith("identity is 'pod-a_3f2c9e1d' but it names this instance's "
            + "LeaseCandidate, so must be a valid Kubernetes name");
    assertThat(requests).isEmpty();
  }

  @Test
  void emulationVersionAboveTheBinaryVersionShouldFailBeforeAnyRequest() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> locks.leaseCandidate(LEASE, "pod-a", "1.4.2", "1.5.0", TIMEOUT))
        .withMessage("emulationVersion is '1.5.0' but must not be above binaryVersion '1.4.2'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> locks.leaseCandidate(LEASE, "pod-a", "1.4", "1.4", TIMEOUT))
        .withMessageStartingWith("binaryVersion is '1.4' but must be a semantic version");
    assertThat(requests).isEmpty();
  }

  @Test
  void lockOtherThanALeaseShouldBeRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> locks.leaseCandidate(new LockReference("ConfigMap", "payments", "job"),
            "pod-a", "1.4.2", "1.4.2", TIMEOUT))
        .withMessage("Coordinated leader election runs on a Lease, not on a ConfigMap");
  }
}
