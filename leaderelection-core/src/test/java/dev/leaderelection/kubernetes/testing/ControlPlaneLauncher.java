package dev.leaderelection.kubernetes.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * etcd and kube-apiserver, no containers) and stops it when the JVM exits.
 */
final class ControlPlaneLauncher {

  private static final Logger log = LoggerFactory.getLogger(ControlPlaneLauncher.class);
  private static final String READY = "READY kubeconfig=";
  private static final long START_TIMEOUT_SECONDS = 180;
  private static final long BUILD_TIMEOUT_MINUTES = 40;

  private ControlPlaneLauncher() {
  }

  /**
   * The launcher binary: {@code KUBE_LAUNCHER} if set, else built (or found in its cache) by
   * {@code .ci/build-kube-launcher} when Go is installed; empty when neither is possible.
   */
  static Optional<Path> binary() throws IOException, InterruptedException {
    String configured = System.getenv("KUBE_LAUNCHER");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    Optional<Path> script = buildScript();
    if (script.isEmpty() || !onPath("go")) {
      return Optional.empty();
    }
    log.info("Building the local control plane with {} (a cold build takes 10-25 minutes)",
        script.get());
    ProcessBuilder builder = new ProcessBuilder("bash", script.get().toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    // Go's work directory goes where this JVM's temporary files go, not to /tmp.
    builder.environment().put("GOTMPDIR", System.getProperty("java.io.tmpdir"));
    Process build = builder.start();
    String path = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!build.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES) || build.exitValue() != 0) {
      throw new IllegalStateException(script.get() + " failed; see its output above");
    }
    return Optional.of(Path.of(path));
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
            "--exit-with-stdin", "--data-dir", dataDir.toString(),
            "--log-file", logFile.toString())))
        .redirectError(logFile.toFile())
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop(process);
      delete(dataDir);
    }, "kube-launcher-stop"));
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readyLine(process));
    try {
      String kubeconfig = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      log.info("Local control plane ready ({}); logs in {}", kubeconfig, logFile);
      return Files.readString(Path.of(kubeconfig));
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      stop(process);
      throw new IllegalStateException("The local control plane did not become ready within "
          + START_TIMEOUT_SECONDS + "s; see " + logFile, e);
    }
  }

  private static String readyLine(Process process) {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(READY)) {
          return line.substring(READY.length()).trim();
        }
      }
      throw new IllegalStateException("the launcher exited with " + process.waitFor());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("cannot read the launcher's output", e);
    }
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("Could not delete " + dir + ": " + e);
    }
  }

  private static Optional<Path> buildScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve(".ci/build-kube-launcher");
      if (Files.isRegularFile(script)) {
        return Optional.of(script);
      }
    }
    return Optional.empty();
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
