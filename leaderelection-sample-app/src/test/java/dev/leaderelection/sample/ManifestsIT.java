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
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

/**
 * Every manifest in k8s/ is accepted by a real API server, and its Role is enough to lead and to
 * record Events on the Lease; the cluster-scoped ones in k8s/cluster/ are accepted too, and the
 * API server's Priority and Fairness puts the service account's Lease requests in the sample's
 * own priority level (it names the FlowSchema and the priority level of each request in its
 * answer's headers).
 */
@ExtendWith(KubernetesApiServerExtension.class)
class ManifestsIT {

  private static final Path MANIFESTS = Path.of("k8s");
  private static final Path CLUSTER_MANIFESTS = MANIFESTS.resolve("cluster");
  private static final String FLOW_CONTROL = "/apis/flowcontrol.apiserver.k8s.io/v1/";
  private static final Map<String, String> CLUSTER_PATHS = Map.of(
      "PriorityLevelConfiguration", FLOW_CONTROL + "prioritylevelconfigurations",
      "FlowSchema", FLOW_CONTROL + "flowschemas");
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

  @Test
  void priorityAndFairnessShouldGiveTheServiceAccountsLeaseRequestsTheSamplesOwnLevel(
      KubernetesApiServer server) throws Exception {
    String namespace = server.createNamespace("sample-apf");
    Map<String, String> uids = new HashMap<>();
    List<String> created = new ArrayList<>();
    try {
      for (JsonObject manifest : manifests(CLUSTER_MANIFESTS, namespace)) {
        String kind = manifest.get("kind").getAsString();
        assertThat(CLUSTER_PATHS).as("known kind").containsKey(kind);
        JsonObject metadata = JsonParser.parseString(server.raw("POST", CLUSTER_PATHS.get(kind),
            manifest.toString())).getAsJsonObject().getAsJsonObject("metadata");
        uids.put(kind, metadata.get("uid").getAsString());
        created.add(CLUSTER_PATHS.get(kind) + "/" + metadata.get("name").getAsString());
      }
      for (JsonObject manifest : manifests(MANIFESTS, namespace)) {
        String kind = manifest.get("kind").getAsString();
        if (kind.equals("ServiceAccount") || kind.startsWith("Role")) {
          server.raw("POST", PATHS.get(kind).formatted(namespace), manifest.toString());
        }
      }
      ApiClient account = server.clientAs("system:serviceaccount:" + namespace
          + ":leaderelection-sample");
      CoordinationV1Api leases = new CoordinationV1Api(account);
      leases.createNamespacedLease(namespace, new V1Lease().metadata(new V1ObjectMeta()
          .name("leaderelection-sample")).spec(new V1LeaseSpec())).execute();

      // The configuration reaches the request filter a moment after it is created.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        Map<String, List<String>> headers = leases.readNamespacedLease("leaderelection-sample",
            namespace).executeWithHttpInfo().getHeaders();
        assertThat(header(headers, "X-Kubernetes-PF-FlowSchema-UID"))
            .isEqualTo(uids.get("FlowSchema"));
        assertThat(header(headers, "X-Kubernetes-PF-PriorityLevel-UID"))
            .isEqualTo(uids.get("PriorityLevelConfiguration"));
      });
    } finally {
      for (int i = created.size() - 1; i >= 0; i--) {
        server.raw("DELETE", created.get(i), null);
      }
    }
  }

  private static String header(Map<String, List<String>> headers, String name) {
    return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
        .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
  }

  private static List<JsonObject> manifests() throws IOException {
    return manifests(MANIFESTS, null);
  }

  /** The manifests of {@code folder}, with {@code my-namespace} replaced when one is given. */
  private static List<JsonObject> manifests(Path folder, String namespace) throws IOException {
    Gson gson = new Gson();
    List<JsonObject> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
        String text = Files.readString(file);
        for (Object document : new Yaml().loadAll(namespace == null ? text
            : text.replace("my-namespace", namespace))) {
          all.add(gson.toJsonTree(document).getAsJsonObject());
        }
      }
    }
    return all;
  }
}
