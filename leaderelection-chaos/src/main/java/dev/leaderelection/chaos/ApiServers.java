package dev.leaderelection.chaos;

import dev.leaderelection.testing.ChildJvm;
import dev.leaderelection.testing.ChildProcesses;
import dev.leaderelection.testing.GoBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A local control plane of several kube-apiservers over one etcd, as production runs them: one
 * launcher process runs only etcd, and each API server (its own process, port and watch cache)
 * reaches etcd through a Toxiproxy proxy of its own, so that one API server's etcd connection can
 * be slowed (its watch cache, and so its watches, then lag the others') or cut, and one API server
 * can be killed and started again while the others serve. Every API server serves the same
 * certificate and accepts the same token, so one kubeconfig works on each with only its address
 * changed. Not thread-safe: one caller drives it.
 */
final class ApiServers implements AutoCloseable {

  /** How long an API server or etcd may take to exit after SIGTERM. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private static final String READY_ETCD = "READY etcd=";
  private static final String READY_API = "READY kubeconfig=";

  private final Path binary;
  private final Path dataDir;
  private final List<String> apiServerFlags;
  private final NetworkFaults etcdLinks;
  private final List<ApiServer> servers = new ArrayList<>();
  private Process etcd;
  private int etcdPort;

  private ApiServers(Path binary, Path dataDir, List<String> apiServerFlags,
      NetworkFaults etcdLinks) {
    this.binary = binary;
    this.dataDir = dataDir;
    this.apiServerFlags = List.copyOf(apiServerFlags);
    this.etcdLinks = etcdLinks;
  }

  /** One API server: its port (the same across restarts) and process. */
  private final class ApiServer {
    final int index;
    final int port;
    final int etcdProxyPort;
    Process process;
    Path kubeconfig;

    ApiServer(int index, int port, int etcdProxyPort) {
      this.index = index;
      this.port = port;
      this.etcdProxyPort = etcdProxyPort;
    }

    Path dir() {
      return dataDir.resolve("apiserver-" + index);
    }

    /** Starts the process; {@link #awaitReady} waits for it. */
    CompletableFuture<String> start() throws IOException {
      Files.createDirectories(dir());
      Path log = dir().resolve("launcher-" + System.currentTimeMillis() + ".log");
      List<String> command = new ArrayList<>(List.of(binary.toString(), "--exit-with-stdin",
          "--data-dir", dir().toString(), "--port", Integer.toString(port),
          "--etcd-servers", "http://127.0.0.1:" + etcdProxyPort,
          "--credentials-dir", credentialsDir().toString(), "--log-file", log.toString()));
      if (!apiServerFlags.isEmpty()) {
        command.add("--");
        command.addAll(apiServerFlags);
      }
      process = ChildJvm.clean(new ProcessBuilder(command)).redirectError(log.toFile()).start();
      Process started = process;
      return CompletableFuture.supplyAsync(() -> GoBinaries.readyLine(started, READY_API));
    }

    void awaitReady(CompletableFuture<String> ready) throws Exception {
      try {
        kubeconfig = Path.of(ready.get(180, TimeUnit.SECONDS));
      } catch (Exception e) {
        throw new IllegalStateException("API server " + index + " did not start; see its log in "
            + dir(), e);
      }
    }

    void kill() throws InterruptedException {
      if (process != null) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        process = null;
      }
    }

    void stop() {
      ChildProcesses.stop(process, STOP_GRACE);
      process = null;
    }
  }

  /**
   * Starts etcd, a Toxiproxy for the API servers' etcd connections, and {@code count} API servers
   * (in parallel), each with {@code apiServerFlags}, under {@code dataDir}.
   */
  static ApiServers start(Path binary, Path toxiproxy, Path dataDir, int count,
      List<String> apiServerFlags) throws Exception {
    if (count < 1) {
      throw new IllegalArgumentException("API servers: " + count + "; at least 1");
    }
    Files.createDirectories(dataDir);
    NetworkFaults links = NetworkFaults.start(toxiproxy, dataDir.resolve("etcd-toxiproxy.log"));
    ApiServers apiServers = new ApiServers(binary, dataDir.toAbsolutePath(), apiServerFlags,
        links);
    try {
      apiServers.startEtcd();
      List<CompletableFuture<String>> ready = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int proxyPort = links.proxy(link(i), apiServers.etcdPort);
        ApiServer server = apiServers.new ApiServer(i, ControlPlane.freePort(), proxyPort);
        apiServers.servers.add(server);
        ready.add(server.start());
      }
      for (int i = 0; i < count; i++) {
        apiServers.servers.get(i).awaitReady(ready.get(i));
      }
      return apiServers;
    } catch (Exception e) {
      apiServers.close();
      throw e;
    }
  }

  private static String link(int index) {
    return "etcd-of-apiserver-" + index;
  }

  private Path etcdDir() {
    return dataDir.resolve("etcd");
  }

  private Path credentialsDir() {
    return etcdDir().resolve("certs");
  }

  private void startEtcd() throws Exception {
    Files.createDirectories(etcdDir());
    if (etcdPort == 0) {
      etcdPort = ControlPlane.freePort();
    }
    Path log = etcdDir().resolve("launcher-" + System.currentTimeMillis() + ".log");
    etcd = ChildJvm.clean(new ProcessBuilder(List.of(binary.toString(), "--exit-with-stdin",
            "--etcd-only", "--keep-credentials", "--data-dir", etcdDir().toString(),
            "--etcd-port", Integer.toString(etcdPort), "--log-file", log.toString())))
        .redirectError(log.toFile()).start();
    Process started = etcd;
    CompletableFuture.supplyAsync(() -> GoBinaries.readyLine(started, READY_ETCD))
        .get(60, TimeUnit.SECONDS);
  }

  /** How many API servers there are. */
  int count() {
    return servers.size();
  }

  /** The secure port of API server {@code index}; the same across its restarts. */
  int port(int index) {
    return servers.get(index).port;
  }

  /** The admin kubeconfig of API server {@code index}, pointing straight at it. */
  Path kubeconfig(int index) {
    return servers.get(index).kubeconfig;
  }

  /** Kills API server {@code index} (SIGKILL: a crash); its port refuses connections. */
  void kill(int index) throws InterruptedException {
    servers.get(index).kill();
  }

  /**
   * Starts API server {@code index} again on its port, if it is not running, and waits until it is
   * ready; its etcd connection is healed first (it could not become ready without it).
   */
  void ensureRunning(int index) throws Exception {
    ApiServer server = servers.get(index);
    if (server.process != null && server.process.isAlive()) {
      return;
    }
    healEtcdLink(index);
    server.awaitReady(server.start());
  }

  /** Kills API server {@code index} and starts it again. */
  void restart(int index) throws Exception {
    kill(index);
    ensureRunning(index);
  }

  /**
   * Delays everything etcd sends API server {@code index} by {@code latency}: its answers and its
   * watch events, so its watch cache lags the other API servers'.
   */
  void slowEtcdLink(int index, Duration latency) throws IOException {
    etcdLinks.latency(link(index), latency);
  }

  /** Cuts API server {@code index} from etcd: connections refused, open ones closed. */
  void cutEtcdLink(int index) throws IOException {
    etcdLinks.partition(link(index));
  }

  /** Removes every fault from API server {@code index}'s etcd connection. */
  void healEtcdLink(int index) throws IOException {
    etcdLinks.heal(link(index));
  }

  /** Kills etcd (SIGKILL) and starts it again on the same data and port, under every API server. */
  void restartEtcd() throws Exception {
    etcd.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    startEtcd();
  }

  @Override
  public void close() {
    servers.forEach(ApiServer::stop);
    ChildProcesses.stop(etcd, STOP_GRACE);
    etcdLinks.close();
  }
}
