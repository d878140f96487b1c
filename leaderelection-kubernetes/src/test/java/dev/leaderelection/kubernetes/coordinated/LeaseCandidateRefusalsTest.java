package dev.leaderelection.kubernetes.coordinated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.FakeTicker;
import dev.leaderelection.ManualScheduler;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.LockClient;
import dev.leaderelection.kubernetes.testing.FakeHttpServer;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A candidacy whose LeaseCandidate calls the API server refuses, on a real HTTP server that
 * answers every call on the candidate with one refusal: a namespace that does not exist (404) is
 * retried once at once, as a candidate deleted meanwhile, then after the back-off, never in a
 * loop of requests without a pause; a 403 names every verb of the candidate's Role
 * (docs/kubernetes.md) that the identity lacks, as the server's access reviews answer, not the
 * verbs of a Lease lock. Time is a manual scheduler's, so the requests counted are exactly those
 * of each instant.
 */
class LeaseCandidateRefusalsTest {

  private static final String DISCOVERY = "/apis/coordination.k8s.io/v1beta1";
  private static final String REVIEWS =
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
  private static final Pattern VERB = Pattern.compile("\"verb\"\\s*:\\s*\"([a-z]+)\"");
  private static final Set<String> DENIED = Set.of("delete", "watch");
  private static final String NAMESPACE_NOT_FOUND = "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
      + "\"status\":\"Failure\",\"message\":\"namespaces \\\"payments\\\" not found\","
      + "\"reason\":\"NotFound\",\"code\":404}";
  private static final String FORBIDDEN = "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
      + "\"status\":\"Failure\",\"message\":\"leasecandidates.coordination.k8s.io \\\"a1\\\" is "
      + "forbidden\",\"reason\":\"Forbidden\",\"code\":403}";

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final FakeTicker ticker = new FakeTicker();
  private final ManualScheduler scheduler = ManualScheduler.executingAtOnce(ticker);
  private volatile int refusal = 404;
  private FakeHttpServer server;
  private LockClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = new FakeHttpServer(exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals(DISCOVERY)) {
        FakeHttpServer.answer(exchange, 200, "{\"kind\":\"APIResourceList\",\"apiVersion\":"
            + "\"v1\",\"groupVersion\":\"coordination.k8s.io/v1beta1\",\"resources\":[{\"name\":"
            + "\"leasecandidates\",\"singularName\":\"\",\"namespaced\":true,\"kind\":"
            + "\"LeaseCandidate\",\"verbs\":[\"get\"]}]}");
      } else if (path.equals(REVIEWS)) {
        Matcher verb = VERB.matcher(new String(exchange.getRequestBody().readAllBytes(),
            StandardCharsets.UTF_8));
        boolean allowed = verb.find() && !DENIED.contains(verb.group(1));
        FakeHttpServer.answer(exchange, 201, "{\"kind\":\"SelfSubjectAccessReview\","
            + "\"apiVersion\":\"authorization.k8s.io/v1\",\"spec\":{},\"status\":{\"allowed\":"
            + allowed + "}}");
      } else {
        requests.add(exchange.getRequestMethod());
        FakeHttpServer.answer(exchange, refusal, refusal == 404 ? NAMESPACE_NOT_FOUND : FORBIDDEN);
      }
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
    LeaseCandidacy candidacy = new LeaseCandidacy(api(), "report-job", "1.36.0", "1.36.0",
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

  @Test
  void refusedDeleteShouldNameEveryMissingVerbOfTheCandidatesRole() {
    refusal = 403;

    assertThatThrownBy(api()::delete).isInstanceOf(KubernetesApiException.class)
        .hasMessageContaining("Grant the verbs 'delete' and 'watch' on 'leasecandidates' in "
            + "API group 'coordination.k8s.io' in namespace 'payments'");
  }

  private LeaseCandidateApi api() {
    return LeaseCandidateApi.discover(client, Duration.ofSeconds(5), "payments", "a1",
        Duration.ofSeconds(30));
  }
}
