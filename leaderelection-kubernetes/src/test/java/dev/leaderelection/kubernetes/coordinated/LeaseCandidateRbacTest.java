package dev.leaderelection.kubernetes.coordinated;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.LockClient;
import dev.leaderelection.kubernetes.testing.FakeHttpServer;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a refused LeaseCandidate call tells the operator to grant: every verb of the candidate's
 * Role (docs/kubernetes.md) that the identity lacks, as the API server's access reviews answer,
 * not the verbs of a Lease lock.
 */
class LeaseCandidateRbacTest {

  private static final String DISCOVERY = "/apis/coordination.k8s.io/v1beta1";
  private static final String REVIEWS =
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
  private static final Pattern VERB = Pattern.compile("\"verb\"\\s*:\\s*\"([a-z]+)\"");
  private static final Set<String> DENIED = Set.of("delete", "watch");

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
        String body = new String(exchange.getRequestBody().readAllBytes(),
            StandardCharsets.UTF_8);
        Matcher verb = VERB.matcher(body);
        boolean allowed = verb.find() && !DENIED.contains(verb.group(1));
        FakeHttpServer.answer(exchange, 201, "{\"kind\":\"SelfSubjectAccessReview\","
            + "\"apiVersion\":\"authorization.k8s.io/v1\",\"spec\":{},\"status\":{\"allowed\":"
            + allowed + "}}");
      } else {
        FakeHttpServer.answer(exchange, 403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
            + "\"status\":\"Failure\",\"message\":\"leasecandidates.coordination.k8s.io "
            + "\\\"a1\\\" is forbidden\",\"reason\":\"Forbidden\",\"code\":403}");
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
  void refusedDeleteShouldNameEveryMissingVerbOfTheCandidatesRole() {
    LeaseCandidateApi api = LeaseCandidateApi.discover(client, Duration.ofSeconds(5), "payments",
        "a1", Duration.ofSeconds(30));

    assertThatThrownBy(api::delete).isInstanceOf(KubernetesApiException.class)
        .hasMessageContaining("Grant the verbs 'delete' and 'watch' on 'leasecandidates' in "
            + "API group 'coordination.k8s.io' in namespace 'payments'");
  }
}
