package dev.leaderelection.kubernetes.testing;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import okhttp3.Call;
import okhttp3.Response;

/**
 * A real Kubernetes API server for integration tests, shared by every test in the JVM. Hands out
 * clients as the administrator or, by impersonation, as any user, and fresh namespaces.
 */
public final class KubernetesApiServer {

  private final String description;
  private final String kubeconfig;

  KubernetesApiServer(String description, String kubeconfig) {
    this.description = description;
    this.kubeconfig = kubeconfig;
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

  /**
   * Sends a request as the administrator, as kubectl or client-go would, bypassing the Java
   * client's models; returns the response body.
   *
   * @param json the request body, or null
   * @throws IllegalStateException when the answer is not a success
   */
  public String raw(String method, String path, String json) {
    ApiClient client = adminClient();
    try {
      Map<String, String> headers = new HashMap<>();
      headers.put("Accept", "application/json");
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
