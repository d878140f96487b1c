package dev.leaderelection.kubernetes.testing;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a real Kubernetes API server, one per test JVM, as a
 * {@link KubernetesApiServer} parameter. Chosen in this order:
 *
 * <ol>
 *   <li>the kubeconfig named by {@code LEADERELECTION_KUBECONFIG} (a developer's own cluster);
 *   <li>the local control plane built from Go modules ({@code KUBE_LAUNCHER}, or built by
 *       {@code .ci/build-kube-launcher} when Go is installed);
 *   <li>Testcontainers' K3s module when Docker is available.
 * </ol>
 *
 * <p>Without any of them the tests are skipped with a reason that says how to enable them; with
 * {@code CI=true} a skip is a failure instead.
 */
public final class KubernetesApiServerExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KubernetesApiServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KubernetesApiServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  private static KubernetesApiServer server(ExtensionContext context) {
    Optional<KubernetesApiServer> server = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("server", key -> connect(), Available.class).server();
    if (server.isEmpty()) {
      String reason = "No Kubernetes API server for integration tests: set "
          + "LEADERELECTION_KUBECONFIG to a kubeconfig, install Go so that "
          + ".ci/build-kube-launcher can build the local control plane, or start Docker for "
          + "Testcontainers' K3s";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(reason + " (CI=true: a skipped integration test fails)");
      }
      Assumptions.abort(reason);
    }
    return server.get();
  }

  private static Available connect() {
    return new Available(KubernetesApiServer.connect());
  }

  /** The outcome of looking for a server, computed once per JVM. */
  record Available(Optional<KubernetesApiServer> server) {
  }
}
