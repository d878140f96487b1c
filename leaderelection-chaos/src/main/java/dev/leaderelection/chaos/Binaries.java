package dev.leaderelection.chaos;

import dev.leaderelection.testing.GoBinaries;
import java.io.IOException;
import java.nio.file.Path;

/** The Go-built servers the harness runs: from an environment variable, else built by .ci/. */
final class Binaries {

  private Binaries() {
  }

  /** Whether the servers can be had: given by their variables, or Go is there to build them. */
  static boolean available() {
    return GoBinaries.available("KUBE_LAUNCHER") && GoBinaries.available("ETCD_LAUNCHER")
        && GoBinaries.available("TOXIPROXY_SERVER");
  }

  /** The local control plane: {@code KUBE_LAUNCHER}, else {@code .ci/build-kube-launcher}. */
  static Path kubeLauncher() throws IOException, InterruptedException {
    return resolve("KUBE_LAUNCHER", "build-kube-launcher");
  }

  /** Toxiproxy's server: {@code TOXIPROXY_SERVER}, else {@code .ci/build-toxiproxy}. */
  static Path toxiproxy() throws IOException, InterruptedException {
    return resolve("TOXIPROXY_SERVER", "build-toxiproxy");
  }

  private static Path resolve(String variable, String script)
      throws IOException, InterruptedException {
    return GoBinaries.find(variable, script).orElseThrow(() -> new IllegalStateException("Set "
        + variable + ", or install Go so that .ci/" + script + " can build it"));
  }
}
