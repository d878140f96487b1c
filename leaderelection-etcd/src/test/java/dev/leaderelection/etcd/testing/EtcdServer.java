package dev.leaderelection.etcd.testing;

import dev.leaderelection.testing.ChildJvm;
import dev.leaderelection.testing.ChildProcesses;
import dev.leaderelection.testing.GoBinaries;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One real etcd server started by the etcd launcher, with its data directory under
 * {@code java.io.tmpdir}. It can be stopped and started again on the same ports and data (as a
 * restarted member), and its Prometheus counters read. Closing stops it and deletes its files.
 */
public final class EtcdServer implements AutoCloseable {

  private static final String READY = "READY ";
  private static final long START_TIMEOUT_SECONDS = 60;

  /** TLS files for the server; with {@code trustedCaFile}, clients need certificates. */
  public record Tls(Path certFile, Path keyFile, @Nullable Path trustedCaFile) {
  }

  private final Path binary;
  private final @Nullable Tls tls;
  private final Path dataDir;
  private final Thread cleanup;
  private @Nullable Process process;
  private String endpoint = "";
  private URI metrics = URI.create("http://127.0.0.1");

  private EtcdServer(Path binary, @Nullable Tls tls, Path dataDir) {
    this.binary = binary;
    this.tls = tls;
    this.dataDir = dataDir;
    this.cleanup = new Thread(this::stopAndDelete, "etcd-launcher-stop");
  }

  static EtcdServer start(Path binary, @Nullable Tls tls) {
    try {
      EtcdServer server = new EtcdServer(binary, tls,
          Files.createTempDirectory("etcd-launcher"));
      Runtime.getRuntime().addShutdownHook(server.cleanup);
      server.launch(List.of());
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The client URL, such as {@code http://127.0.0.1:40123}. */
  public String endpoint() {
    return endpoint;
  }

  /** A plain-text jetcd client as etcd's root (before authentication is enabled). */
  public Client client() {
    return Client.builder().endpoints(endpoint).build();
  }

  /** Stops the server as SIGTERM does; its data stays for {@link #restart()}. */
  public synchronized void stop() {
    Process running = process;
    process = null;
    ChildProcesses.stop(running, Duration.ofSeconds(15));
  }

  /** Starts the stopped server again on the same ports with the same data. */
  public synchronized void restart() {
    if (process != null) {
      throw new IllegalStateException("etcd is running");
    }
    launch(List.of("--client-port", Integer.toString(endpointPort()),
        "--metrics-port", Integer.toString(metrics.getPort())));
  }

  /**
   * The sum of the counter {@code name} over the samples that carry every label of
   * {@code labels}, from etcd's {@code /metrics}.
   */
  public double counter(String name, Map<String, String> labels) {
    String text;
    try {
      text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics)
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && labels.entrySet().stream()
          .allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\""))) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Override
  public void close() {
    stopAndDelete();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  @Override
  public String toString() {
    return "etcd at " + endpoint;
  }

  private int endpointPort() {
    return URI.create(endpoint).getPort();
  }

  private synchronized void launch(List<String> extra) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--exit-with-stdin",
        "--data-dir", dataDir.toString(), "--log-file", dataDir.resolve("launcher.log").toString()));
    if (tls != null) {
      command.addAll(List.of("--cert-file", tls.certFile().toString(),
          "--key-file", tls.keyFile().toString()));
      if (tls.trustedCaFile() != null) {
        command.addAll(List.of("--trusted-ca-file", tls.trustedCaFile().toString()));
      }
    }
    command.addAll(extra);
    try {
      Process started = ChildJvm.clean(new ProcessBuilder(command))
          .redirectError(ProcessBuilder.Redirect.appendTo(dataDir.resolve("launcher.log").toFile()))
          .start();
      process = started;
      CompletableFuture<String> ready =
          CompletableFuture.supplyAsync(() -> GoBinaries.readyLine(started, READY));
      String line = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      for (String field : line.split(" ")) {
        if (field.startsWith("endpoint=")) {
          endpoint = field.substring("endpoint=".length());
        } else if (field.startsWith("metrics=")) {
          metrics = URI.create(field.substring("metrics=".length()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (TimeoutException | ExecutionException e) {
      stop();
      throw new IllegalStateException("etcd did not become ready within "
          + START_TIMEOUT_SECONDS + "s; see " + dataDir.resolve("launcher.log"), e);
    } catch (InterruptedException e) {
      stop();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void stopAndDelete() {
    stop();
    try (Stream<Path> paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("Could not delete " + dataDir + ": " + e);
    }
  }
}
