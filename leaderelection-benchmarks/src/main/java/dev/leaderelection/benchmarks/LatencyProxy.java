package dev.leaderelection.benchmarks;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real cluster's latency between electors and the API server: a Toxiproxy server with one proxy
 * in front of the API server that delays every response by a set time, and a kubeconfig that
 * sends the electors through it. The API server's certificate names its address, not its port,
 * so TLS holds through the proxy. Not thread-safe: the scale runner drives it.
 */
final class LatencyProxy implements AutoCloseable {

  private static final Pattern SERVER = Pattern.compile("(server:\\s*https?://[^:\\s]+):(\\d+)");

  private final Process server;
  private final Proxy proxy;
  private final Path kubeconfig;

  private LatencyProxy(Process server, Proxy proxy, Path kubeconfig) {
    this.server = server;
    this.proxy = proxy;
    this.kubeconfig = kubeconfig;
  }

  /**
   * Starts Toxiproxy's {@code binary} with a proxy to the API server of {@code kubeconfig}, and
   * writes beside it ({@code directory}) a kubeconfig that goes through the proxy.
   */
  static LatencyProxy start(Path binary, Path kubeconfig, Path directory) throws Exception {
    String original = Files.readString(kubeconfig);
    Matcher address = SERVER.matcher(original);
    if (!address.find()) {
      throw new IllegalArgumentException("no server address in " + kubeconfig);
    }
    Files.createDirectories(directory);
    int adminPort = freePort();
    Process server = new ProcessBuilder(List.of(binary.toString(), "-host", "127.0.0.1",
            "-port", Integer.toString(adminPort)))
        .redirectErrorStream(true).redirectOutput(directory.resolve("toxiproxy.log").toFile())
        .start();
    try {
      ToxiproxyClient client = awaitReady(server, new ToxiproxyClient("127.0.0.1", adminPort));
      int listen = freePort();
      Proxy proxy = client.createProxy("apiserver", "127.0.0.1:" + listen,
          "127.0.0.1:" + address.group(2));
      Path proxied = directory.resolve("kubeconfig-latency.yaml");
      Files.writeString(proxied, address.replaceFirst("$1:" + listen));
      return new LatencyProxy(server, proxy, proxied);
    } catch (Exception e) {
      server.destroyForcibly();
      throw e;
    }
  }

  /** The kubeconfig whose server is the proxy. */
  Path kubeconfig() {
    return kubeconfig;
  }

  /** Delays every response by {@code millis} from now on (0: none). */
  void delayResponses(int millis) throws IOException {
    proxy.toxics().getAll().forEach(toxic -> {
      try {
        toxic.remove();
      } catch (IOException e) {
        throw new IllegalStateException("cannot remove toxic " + toxic.getName(), e);
      }
    });
    if (millis > 0) {
      proxy.toxics().latency("latency", ToxicDirection.DOWNSTREAM, millis);
    }
  }

  @Override
  public void close() {
    server.destroy();
    try {
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    } catch (InterruptedException e) {
      server.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static ToxiproxyClient awaitReady(Process server, ToxiproxyClient client)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        client.version();
        return client;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline || !server.isAlive()) {
          throw new IOException("Toxiproxy did not start", notYet);
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
