package dev.leaderelection.kubernetes.testing;

import dev.leaderelection.testing.ChildJvm;
import dev.leaderelection.testing.ChildProcesses;
import dev.leaderelection.testing.GoBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the real control plane built from Go modules under {@code .ci/kube-launcher} (embedded
 * etcd and kube-apiserver, no containers) and stops it when the JVM exits. It runs with the
 * CoordinatedLeaderElection feature gate on, so coordinated elections can be tested on the one
 * control plane of a test run; the controller it starts touches only Leases that have
 * LeaseCandidates.
 */
final class ControlPlaneLauncher {

  private static final Logger log = LoggerFactory.getLogger(ControlPlaneLauncher.class);
  private static final String READY = "READY kubeconfig=";
  private static final long START_TIMEOUT_SECONDS = 180;

  private ControlPlaneLauncher() {
  }

  /**
   * The launcher binary: {@code KUBE_LAUNCHER} if set, else built (or found in its cache) by
   * {@code .ci/build-kube-launcher} when Go is installed; empty when neither is possible.
   */
  static Optional<Path> binary() throws IOException, InterruptedException {
    return GoBinaries.find("KUBE_LAUNCHER", "build-kube-launcher");
  }

  /**
   * Starts the control plane and returns its admin kubeconfig once it is ready. Its data
   * directory lies under {@code java.io.tmpdir} (the module's {@code target/} under Maven) and is
   * deleted when the JVM exits, whether the tests passed or not.
   */
  static String start(Path binary) throws IOException, InterruptedException {
    Path dataDir = Files.createTempDirectory("kube-launcher");
    Path logFile = dataDir.resolve("launcher.log");
    Process process = ChildJvm.clean(new ProcessBuilder(List.of(binary.toString(),
            "--exit-with-stdin", "--coordinated-leader-election",
            "--data-dir", dataDir.toString(),
            "--log-file", logFile.toString())))
        .redirectError(logFile.toFile())
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ChildProcesses.stop(process, Duration.ofSeconds(15));
      delete(dataDir);
    }, "kube-launcher-stop"));
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> GoBinaries.readyLine(process, READY));
    try {
      String kubeconfig = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      log.info("Local control plane ready ({}); logs in {}", kubeconfig, logFile);
      return Files.readString(Path.of(kubeconfig));
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      ChildProcesses.stop(process, Duration.ofSeconds(15));
      throw new IllegalStateException("The local control plane did not become ready within "
          + START_TIMEOUT_SECONDS + "s; see " + logFile, e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("Could not delete " + dir + ": " + e);
    }
  }
}
