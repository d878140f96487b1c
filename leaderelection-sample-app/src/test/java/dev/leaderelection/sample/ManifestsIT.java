package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.events.TransitionEvents;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import dev.leaderelection.spi.LeaseLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

/**
 * Every manifest in k8s/ is accepted by a real API server, and its Role is enough to lead and to
 * record Events on the Lease.
 */
@ExtendWith(KubernetesApiServerExtension.class)
class ManifestsIT {

  private static final Path MANIFESTS = Path.of("k8s");
  private static final Map<String, String> PATHS = Map.of(
      "ServiceAccount", "/api/v1/namespaces/%s/serviceaccounts",
      "Service", "/api/v1/namespaces/%s/services",
      "Role", "/apis/rbac.authorization.k8s.io/v1/namespaces/%s/roles",
      "RoleBinding", "/apis/rbac.authorization.k8s.io/v1/namespaces/%s/rolebindings",
      "Deployment", "/apis/apps/v1/namespaces/%s/deployments");

  @Test
  void everyManifestShouldBeCreatedAndTheRoleShouldLetTheServiceAccountLead(
      KubernetesApiServer server) throws IOException {
    String namespace = server.createNamespace("sample");
    List<String> created = new ArrayList<>();

    for (JsonObject manifest : manifests()) {
      String kind = manifest.get("kind").getAsString();
      assertThat(PATHS).as("known kind").containsKey(kind);
      JsonObject answer = JsonParser.parseString(server.raw("POST",
          PATHS.get(kind).formatted(namespace), manifest.toString())).getAsJsonObject();
      created.add(kind + "/" + answer.getAsJsonObject("metadata").get("name").getAsString());
    }

    assertThat(created).containsExactlyInAnyOrder("Deployment/leaderelection-sample",
        "Role/leaderelection-sample", "RoleBinding/leaderelection-sample",
        "Service/leaderelection-sample", "ServiceAccount/leaderelection-sample");
    JsonObject deployment = JsonParser.parseString(server.raw("GET",
        PATHS.get("Deployment").formatted(namespace) + "/leaderelection-sample", null))
        .getAsJsonObject();
    assertThat(deployment.getAsJsonObject("spec").get("replicas").getAsInt()).isEqualTo(3);

    KubernetesLocks locks = KubernetesLocks.create(
        server.clientAs("system:serviceaccount:" + namespace + ":leaderelection-sample"));
    LeaseLock lock = locks.lease(namespace, "leaderelection-sample", Duration.ofSeconds(2));
    TransitionEvents events = locks.events(lock.reference(), Duration.ofSeconds(2));
    LeaderElector elector = LeaderElector.builder(lock, "pod-0").listener(events).build();
    try {
      elector.start();
      await().atMost(Duration.ofSeconds(10)).until(elector::isLeader);
      assertThat(elector.lastFailure()).isEmpty();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.raw("GET",
          "/apis/events.k8s.io/v1/namespaces/" + namespace + "/events", null)
          .contains("pod-0 became leader"));
      assertThat(events.problem()).as("the Role lets it record Events").isEmpty();
    } finally {
      elector.close();
      locks.close();
    }
  }

  private static List<JsonObject> manifests() throws IOException {
    Gson gson = new Gson();
    List<JsonObject> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(MANIFESTS)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object document : new Yaml().loadAll(Files.readString(file))) {
          all.add(gson.toJsonTree(document).getAsJsonObject());
        }
      }
    }
    return all;
  }
}
