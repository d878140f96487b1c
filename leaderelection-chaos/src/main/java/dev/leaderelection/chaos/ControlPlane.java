package dev.leaderelection.chaos;

import dev.leaderelection.testing.ChildJvm;
import dev.leaderelection.testing.ChildProcesses;
import dev.leaderelection.testing.GoBinaries;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The harness's own local control plane (embedded etcd and kube-apiserver), which it can restart
 * on the same data directory and port while candidates hold the lease: their proxies keep
 * pointing at the same address. Not thread-safe: the runner drives it.
 */
final class ControlPlane implements AutoCloseable {

  private static final String READY = "READY kubeconfig=";

  private final Path binary;
  private final Path dataDir;
  private final int port;
  private final List<String> apiServerFlags;
  private Process process;
  private Path kubeconfig;

  private ControlPlane(Path binary, Path dataDir, int port, List<String> apiServerFlags) {
    this.binary = binary;
    this.dataDir = dataDir;
    this.port = port;
    this.apiServerFlags = List.copyOf(apiServerFlags);
  }

  static ControlPlane start(Path binary, Path dataDir) throws Exception {
    return start(binary, dataDir, List.of());
  }

  /** A control plane whose kube-apiserver also gets {@code apiServerFlags}. */
  static ControlPlane start(Path binary, Path dataDir, List<String> apiServerFlags)
      throws Exception {
    Files.createDirectories(dataDir);
    ControlPlane controlPlane = new ControlPlane(binary, dataDir.toAbsolutePath(), freePort(),
        apiServerFlags);
    controlPlane.start();
    return controlPlane;
  }

  int port() {
    return port;
  }

  /** The admin kubeconfig, pointing straight at the API server (no proxy). */
  Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * Kills the API server and etcd (SIGKILL: a crash; a graceful stop takes kube-apiserver 30 s)
   * and starts them again on the same data, credentials and port.
   */
  void restart() throws Exception {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    process = null;
    start();
  }

  @Override
  public void close() {
    stop();
  }

  private void start() throws Exception {
    Path log = dataDir.resolve("launcher-" + System.currentTimeMillis() + ".log");
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--exit-with-stdin",
        "--keep-credentials", "--data-dir", dataDir.toString(), "--port", Integer.toString(port),
        "--log-file", log.toString()));
    if (!apiServerFlags.isEmpty()) {
      command.add("--");
      command.addAll(apiServerFlags);
    }
    process = ChildJvm.clean(new ProcessBuilder(command))
        .redirectError(log.toFile())
        .start();
    Process started = process;
    String path = CompletableFuture.supplyAsync(() -> GoBinaries.readyLine(started, READY))
        .get(180, TimeUnit.SECONDS);
    kubeconfig = Path.of(path);
  }

  private void stop() {
    ChildProcesses.stop(process, Duration.ofSeconds(30));
    process = null;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
