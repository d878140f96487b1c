package dev.leaderelection.etcd.testing;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests an {@link EtcdLauncher} parameter: real etcd servers built from Go
 * modules ({@code ETCD_LAUNCHER}, or built by {@code .ci/build-etcd-launcher} when Go is
 * installed), looked for once per test JVM. Without it the tests are skipped with a reason that
 * says how to enable them; with {@code CI=true} a skip is a failure instead.
 */
public final class EtcdLauncherExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EtcdLauncherExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    launcher(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EtcdLauncher.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return launcher(context);
  }

  private static EtcdLauncher launcher(ExtensionContext context) {
    Optional<EtcdLauncher> launcher = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("launcher", key -> new Available(EtcdLauncher.find()),
            Available.class).launcher();
    if (launcher.isEmpty()) {
      String reason = "No etcd for integration tests: set ETCD_LAUNCHER to a binary built by "
          + ".ci/build-etcd-launcher, or install Go so that the tests can build it";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(reason + " (CI=true: a skipped integration test fails)");
      }
      Assumptions.abort(reason);
    }
    return launcher.get();
  }

  /** The outcome of looking for the launcher, computed once per JVM. */
  record Available(Optional<EtcdLauncher> launcher) {
  }
}
