package dev.leaderelection.spring.autoconfigure;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.credentials.TokenFileAuthentication;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * Finds the Kubernetes configuration an application means, as client-go does: {@code KUBECONFIG}
 * (the first existing file of the list), else {@code ~/.kube/config}, else the pod's service
 * account when {@code KUBERNETES_SERVICE_HOST} is set. A sign of Kubernetes that cannot be used
 * is an error naming the file and the problem, never a silent fall-back to the in-memory lock:
 * in a cluster that would make every replica lead.
 */
final class KubernetesConfiguration {

  static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
  /** How often the service account token is read again: kubelets rotate bound tokens. */
  static final Duration TOKEN_REFRESH = Duration.ofMinutes(1);

  private KubernetesConfiguration() {
  }

  /** Whether the environment shows any sign of Kubernetes (usable or not). */
  static boolean configured(Environment environment) {
    return isSet(environment.getProperty("KUBECONFIG")) || Files.exists(homeConfig(environment))
        || isSet(environment.getProperty("KUBERNETES_SERVICE_HOST"));
  }

  /** A description of what {@link #client} will use, for condition reports. */
  static String describe(Environment environment) {
    String kubeconfig = environment.getProperty("KUBECONFIG");
    if (isSet(kubeconfig)) {
      return "KUBECONFIG=" + kubeconfig;
    }
    Path home = homeConfig(environment);
    return Files.exists(home) ? "kubeconfig " + home : "KUBERNETES_SERVICE_HOST (in-cluster)";
  }

  /**
   * The client for the configuration the environment names.
   *
   * @throws KubernetesConfigurationException naming the source and why it cannot be used
   */
  static ApiClient client(Environment environment) {
    String kubeconfig = environment.getProperty("KUBECONFIG");
    if (isSet(kubeconfig)) {
      Path file = firstUsable(kubeconfig);
      return fromKubeconfig(file, "the kubeconfig " + file + " (from KUBECONFIG)");
    }
    Path home = homeConfig(environment);
    if (Files.exists(home)) {
      String problem = fileProblem(home);
      if (problem != null) {
        throw new KubernetesConfigurationException("~/.kube/config (" + home + ") " + problem,
            "fix or remove it, or set KUBECONFIG to a usable kubeconfig");
      }
      return fromKubeconfig(home, "the kubeconfig " + home);
    }
    Path token = SERVICE_ACCOUNT.resolve("token");
    if (!Files.isReadable(token)) {
      throw new KubernetesConfigurationException("KUBERNETES_SERVICE_HOST is set, so this looks "
          + "like a pod, but its service account token " + token + " cannot be read",
          "mount the service account token (automountServiceAccountToken: true), set "
              + "KUBECONFIG, or unset KUBERNETES_SERVICE_HOST to run without Kubernetes");
    }
    try {
      return inCluster(SERVICE_ACCOUNT, environment.getProperty("KUBERNETES_SERVICE_HOST"),
          environment.getProperty("KUBERNETES_SERVICE_PORT", "443"), TOKEN_REFRESH);
    } catch (IOException | RuntimeException e) {
      throw new KubernetesConfigurationException("the pod's service account configuration "
          + "cannot be used (" + e.getClass().getSimpleName() + ")",
          "check the mounted service account", e);
    }
  }

  /**
   * A client as a pod's service account: the API server at {@code host:port}, the CA and the
   * token from {@code dir}. The token file is read again every {@code refresh}, so the bound,
   * expiring tokens a kubelet rotates keep working without a restart.
   */
  static ApiClient inCluster(Path dir, String host, String port, Duration refresh)
      throws IOException {
    String address = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return new ClientBuilder()
        .setBasePath("https://" + address + ":" + port)
        .setCertificateAuthority(Files.readAllBytes(dir.resolve("ca.crt")))
        .setAuthentication(new TokenFileAuthentication(dir.resolve("token").toString(), refresh))
        .build();
  }

  private static Path firstUsable(String kubeconfig) {
    List<String> problems = new ArrayList<>();
    for (String entry : kubeconfig.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path path = Path.of(entry.trim());
      String problem = fileProblem(path);
      if (problem == null) {
        return path;
      }
      problems.add(path + " " + problem);
    }
    throw new KubernetesConfigurationException("KUBECONFIG is '" + kubeconfig + "', but "
        + String.join("; ", problems), "point KUBECONFIG at a kubeconfig file, or unset it to "
        + "run without Kubernetes (leader-election.lock=in-memory)");
  }

  private static @Nullable String fileProblem(Path path) {
    if (!Files.exists(path)) {
      return "does not exist";
    }
    if (Files.isDirectory(path)) {
      return "is a directory, not a kubeconfig file";
    }
    return Files.isReadable(path) ? null : "cannot be read by this process";
  }

  /** @param origin how messages name the file */
  private static ApiClient fromKubeconfig(Path file, String origin) {
    String fix = "fix the file, or point KUBECONFIG at another one";
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new KubernetesConfigurationException(origin + " cannot be read", fix, e);
    }
    if (text.isBlank()) {
      throw new KubernetesConfigurationException(origin + " is empty", fix);
    }
    KubeConfig config;
    try {
      config = KubeConfig.loadKubeConfig(new StringReader(text));
    } catch (RuntimeException e) {
      throw new KubernetesConfigurationException(origin + " is not a kubeconfig (a YAML map "
          + "with clusters, contexts and users)", fix, e);
    }
    String context = config == null ? null : config.getCurrentContext();
    if (config == null || context == null || context.isBlank()) {
      throw new KubernetesConfigurationException(origin + " names no current-context",
          "set one with kubectl config use-context, or fix the file");
    }
    if (!config.setContext(context)) {
      throw new KubernetesConfigurationException(origin + " has current-context '" + context
          + "', but no context of that name", "set an existing one with kubectl config "
          + "use-context, or fix the file");
    }
    if (config.getServer() == null || config.getServer().isBlank()) {
      throw new KubernetesConfigurationException(origin + ": context '" + context
          + "' names no cluster with a server", fix);
    }
    config.setFile(file.toFile());
    try {
      return ClientBuilder.kubeconfig(config).build();
    } catch (IOException | RuntimeException e) {
      throw new KubernetesConfigurationException(origin + " cannot be used ("
          + e.getClass().getSimpleName() + ")", fix, e);
    }
  }

  private static Path homeConfig(Environment environment) {
    return Path.of(environment.getProperty("user.home", ""), ".kube", "config");
  }

  private static boolean isSet(@Nullable String value) {
    return value != null && !value.isBlank();
  }
}
