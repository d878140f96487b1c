package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonParser;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.KubeConfig;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod's service account token is rotated under a running elector, as a kubelet rotates bound
 * tokens, and the old one stops working: the elector keeps leading without a restart.
 */
@ExtendWith(KubernetesApiServerExtension.class)
class ServiceAccountTokenRotationIT {

  private static final LeaseTimings TIMINGS =
      LeaseTimings.of(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500));

  @Test
  void rotatedTokenShouldKeepTheElectionGoingAfterTheOldOneIsRevoked(KubernetesApiServer server,
      @TempDir Path serviceAccount) throws Exception {
    String namespace = server.createNamespace("rotation");
    String api = "/api/v1/namespaces/" + namespace;
    server.raw("POST", api + "/serviceaccounts", "{\"metadata\":{\"name\":\"app\"}}");
    grantLeases(server, namespace, "system:serviceaccount:" + namespace + ":app");
    Files.write(serviceAccount.resolve("ca.crt"), certificateAuthority(server));
    Files.writeString(serviceAccount.resolve("token"), boundToken(server, namespace, "first"));
    URI address = URI.create(server.adminClient().getBasePath());

    ApiClient client = KubernetesConfiguration.inCluster(serviceAccount, address.getHost(),
        Integer.toString(address.getPort()), Duration.ofMillis(200));
    try (LeaderElector elector = LeaderElector.builder(
            KubernetesLocks.create(client).lease(namespace, "rotation", Duration.ofSeconds(1)),
            "app-0")
        .timings(TIMINGS).build()) {
      elector.start();
      await().atMost(Duration.ofSeconds(10)).until(elector::isLeader);

      String firstToken = Files.readString(serviceAccount.resolve("token"));
      Files.writeString(serviceAccount.resolve("token"), boundToken(server, namespace, "second"));
      server.raw("DELETE", api + "/secrets/first", null);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThatIllegalStateException().isThrownBy(() -> asToken(server, firstToken,
              "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases/rotation"))
              .withMessageContaining("401"));

      await().during(TIMINGS.leaseDuration()).atMost(TIMINGS.leaseDuration().plusSeconds(5))
          .until(elector::isLeader);
      assertThat(elector.lastFailure()).isEmpty();
    }
  }

  /** A token bound to a new Secret of that name: deleting the Secret revokes the token. */
  private static String boundToken(KubernetesApiServer server, String namespace, String secret) {
    String api = "/api/v1/namespaces/" + namespace;
    String created = server.raw("POST", api + "/secrets",
        "{\"metadata\":{\"name\":\"" + secret + "\"}}");
    String uid = JsonParser.parseString(created).getAsJsonObject().getAsJsonObject("metadata")
        .get("uid").getAsString();
    String answer = server.raw("POST", api + "/serviceaccounts/app/token",
        "{\"spec\":{\"expirationSeconds\":3600,\"boundObjectRef\":{\"apiVersion\":\"v1\","
            + "\"kind\":\"Secret\",\"name\":\"" + secret + "\",\"uid\":\"" + uid + "\"}}}");
    return JsonParser.parseString(answer).getAsJsonObject().getAsJsonObject("status")
        .get("token").getAsString();
  }

  private static void asToken(KubernetesApiServer server, String token, String path)
      throws Exception {
    ApiClient client = server.adminClient();
    client.setApiKeyPrefix(null);
    client.setApiKey(null);
    okhttp3.Request request = new okhttp3.Request.Builder().url(client.getBasePath() + path)
        .header("Authorization", "Bearer " + token).build();
    try (okhttp3.Response response = client.getHttpClient().newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IllegalStateException("GET " + path + " answered " + response.code());
      }
    }
  }

  private static byte[] certificateAuthority(KubernetesApiServer server) throws Exception {
    KubeConfig config = KubeConfig.loadKubeConfig(
        new StringReader(Files.readString(server.kubeconfigFile())));
    config.setContext(config.getCurrentContext());
    return Base64.getDecoder().decode(config.getCertificateAuthorityData());
  }

  private static void grantLeases(KubernetesApiServer server, String namespace, String user) {
    String rbac = "/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace;
    server.raw("POST", rbac + "/roles", "{\"metadata\":{\"name\":\"leases\"},\"rules\":[{"
        + "\"apiGroups\":[\"coordination.k8s.io\"],\"resources\":[\"leases\"],"
        + "\"verbs\":[\"get\",\"create\",\"update\",\"watch\"]}]}");
    server.raw("POST", rbac + "/rolebindings", "{\"metadata\":{\"name\":\"leases\"},"
        + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\","
        + "\"name\":\"leases\"},\"subjects\":[{\"apiGroup\":\"rbac.authorization.k8s.io\","
        + "\"kind\":\"User\",\"name\":\"" + user + "\"}]}");
  }
}
