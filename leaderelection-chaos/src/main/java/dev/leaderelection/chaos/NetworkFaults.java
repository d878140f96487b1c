package dev.leaderelection.chaos;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Toxiproxy server and a proxy per candidate in front of the API server, so that each
 * candidate's network can fail on its own: refused connections, a blackhole, latency, responses
 * slower than the call timeout, and connections reset mid-response. Not thread-safe: the runner
 * drives it.
 */
final class NetworkFaults implements AutoCloseable {

  private final Process server;
  private final ToxiproxyClient client;
  private final Map<String, Proxy> proxies = new HashMap<>();

  private NetworkFaults(Process server, ToxiproxyClient client) {
    this.server = server;
    this.client = client;
  }

  static NetworkFaults start(Path binary, Path log) throws Exception {
    int port = ControlPlane.freePort();
    Process server = new ProcessBuilder(List.of(binary.toString(), "-host", "127.0.0.1",
            "-port", Integer.toString(port)))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        client.version();
        return new NetworkFaults(server, client);
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline || !server.isAlive()) {
          server.destroyForcibly();
          throw new IllegalStateException("Toxiproxy did not start; see " + log, notYet);
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  /** A proxy for {@code candidate} to the API server's port; returns the port it listens on. */
  int proxy(String candidate, int upstreamPort) throws IOException {
    int listen = ControlPlane.freePort();
    proxies.put(candidate, client.createProxy(candidate, "127.0.0.1:" + listen,
        "127.0.0.1:" + upstreamPort));
    return listen;
  }

  /** Connections are refused, and open ones closed. */
  void partition(String candidate) throws IOException {
    proxies.get(candidate).disable();
  }

  /** Data goes nowhere and nothing answers (Toxiproxy's {@code timeout} with no timeout). */
  void blackhole(String candidate) throws IOException {
    proxies.get(candidate).toxics().timeout("blackhole", ToxicDirection.UPSTREAM, 0);
  }

  /** Every answer is delayed by {@code latency}. */
  void latency(String candidate, Duration latency) throws IOException {
    proxies.get(candidate).toxics().latency("latency", ToxicDirection.DOWNSTREAM,
        latency.toMillis());
  }

  /** Connections are reset once data flows: a reset mid-response. */
  void reset(String candidate) throws IOException {
    proxies.get(candidate).toxics().resetPeer("reset", ToxicDirection.DOWNSTREAM, 0);
  }

  /** Removes every fault from the candidate's network. */
  void heal(String candidate) throws IOException {
    Proxy proxy = proxies.get(candidate);
    for (Toxic toxic : proxy.toxics().getAll()) {
      toxic.remove();
    }
    proxy.enable();
  }

  @Override
  public void close() {
    server.destroyForcibly();
  }
}
