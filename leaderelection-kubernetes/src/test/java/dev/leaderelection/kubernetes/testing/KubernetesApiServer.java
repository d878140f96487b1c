package dev.leaderelection.kubernetes.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import okhttp3.Call;
import okhttp3.Response;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Kubernetes API server for integration tests, shared by every test in the JVM. Hands out
 * clients as the administrator or, by impersonation, as any user, and fresh namespaces.
 */
public final class KubernetesApiServer {

  static final String K3S_IMAGE = "rancher/k3s:v1.33.4-k3s1";

  private final String description;
  private final String kubeconfig;

  KubernetesApiServer(String description, String kubeconfig) {
    this.description = description;
    this.kubeconfig = kubeconfig;
  }

  /**
   * Connects to a real API server, in this order: the kubeconfig named by
   * {@code LEADERELECTION_KUBECONFIG}; the local control plane built from Go modules
   * ({@code KUBE_LAUNCHER}, or built by {@code .ci/build-kube-launcher} when Go is installed);
   * Testcontainers' K3s when Docker is available. Servers started here stop with the JVM.
   *
   * @return the server, or empty when none of them is available
   */
  public static Optional<KubernetesApiServer> connect() {
    try {
      String kubeconfig = System.getenv("LEADERELECTION_KUBECONFIG");
      if (kubeconfig != null && !kubeconfig.isBlank()) {
        return Optional.of(new KubernetesApiServer("kubeconfig " + kubeconfig,
            Files.readString(Path.of(kubeconfig))));
      }
      Optional<Path> launcher = ControlPlaneLauncher.binary();
      if (launcher.isPresent()) {
        return Optional.of(new KubernetesApiServer("local control plane " + launcher.get(),
            ControlPlaneLauncher.start(launcher.get())));
      }
      if (DockerClientFactory.instance().isDockerAvailable()) {
        K3sContainer k3s = new K3sContainer(DockerImageName.parse(K3S_IMAGE));
        k3s.start();
        Runtime.getRuntime().addShutdownHook(new Thread(k3s::stop, "k3s-stop"));
        return Optional.of(new KubernetesApiServer("Testcontainers " + K3S_IMAGE,
            k3s.getKubeConfigYaml()));
      }
      return Optional.empty();
    } catch (Exception e) {
      throw new IllegalStateException("Could not start a Kubernetes API server", e);
    }
  }

  /** Where this server comes from, for test reports. */
  public String description() {
    return description;
  }

  /** The administrator's kubeconfig, written to a new temporary file (for KUBECONFIG). */
  public java.nio.file.Path kubeconfigFile() {
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("kubeconfig", ".yaml");
      java.nio.file.Files.writeString(file, kubeconfig);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new client with the administrator's credentials. */
  public ApiClient adminClient() {
    try {
      ApiClient client = Config.fromConfig(new StringReader(kubeconfig));
      client.setReadTimeout(30_000);
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the kubeconfig of " + description, e);
    }
  }

  /** A new client that acts as {@code user} (no groups beyond system:authenticated). */
  public ApiClient clientAs(String user) {
    ApiClient client = adminClient();
    client.addDefaultHeader("Impersonate-User", user);
    return client;
  }

  /** Creates a namespace with a unique name that starts with {@code prefix}. */
  public String createNamespace(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      new CoreV1Api(adminClient())
          .createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
      return name;
    } catch (ApiException e) {
      throw new IllegalStateException("Cannot create namespace " + name + ": "
          + e.getResponseBody(), e);
    }
  }

  /** The API server's Prometheus metrics, as text. */
  public String metrics() {
    return send("GET", "/metrics", null, "text/plain");
  }

  /**
   * Sends a request as the administrator, as kubectl or client-go would, bypassing the Java
   * client's models; returns the response body.
   *
   * @param json the request body, or null
   * @throws IllegalStateException when the answer is not a success
   */
  public String raw(String method, String path, String json) {
    return send(method, path, json, "application/json");
  }

  /** The names of the LeaseCandidates ({@code coordination.k8s.io/v1beta1}) in a namespace. */
  public List<String> leaseCandidateNames(String namespace) {
    JsonObject list = JsonParser.parseString(raw("GET",
        "/apis/coordination.k8s.io/v1beta1/namespaces/" + namespace + "/leasecandidates", null))
        .getAsJsonObject();
    return list.getAsJsonArray("items").asList().stream()
        .map(item -> item.getAsJsonObject().getAsJsonObject("metadata").get("name").getAsString())
        .toList();
  }

  private String send(String method, String path, String json, String accept) {
    ApiClient client = adminClient();
    try {
      Map<String, String> headers = new HashMap<>();
      headers.put("Accept", accept);
      headers.put("Content-Type", "application/json");
      Call call = client.buildCall(client.getBasePath(), path, method, new ArrayList<>(),
          new ArrayList<>(), json == null ? null : json.getBytes(StandardCharsets.UTF_8),
          headers, new HashMap<>(), new HashMap<>(), new String[] {"BearerToken"}, null);
      try (Response response = call.execute()) {
        String body = response.body().string();
        if (!response.isSuccessful()) {
          throw new IllegalStateException(
              method + " " + path + " answered " + response.code() + ": " + body);
        }
        return body;
      }
    } catch (ApiException | IOException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }
}
