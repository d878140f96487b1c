package dev.leaderelection.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The Go-built servers the harness runs: from an environment variable, else built by .ci/. */
final class Binaries {

  private Binaries() {
  }

  /** Whether both servers can be had: given by their variables, or Go is there to build them. */
  static boolean available() {
    return (isSet("KUBE_LAUNCHER") && isSet("TOXIPROXY_SERVER")) || onPath("go");
  }

  private static boolean isSet(String variable) {
    String value = System.getenv(variable);
    return value != null && !value.isBlank();
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
    String configured = System.getenv(variable);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path build = dir.resolve(".ci").resolve(script);
      if (Files.isRegularFile(build)) {
        ProcessBuilder builder = new ProcessBuilder("bash", build.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("GOTMPDIR", System.getProperty("java.io.tmpdir"));
        Process process = builder.start();
        String path = new String(process.getInputStream().readAllBytes(),
            StandardCharsets.UTF_8).trim();
        if (!process.waitFor(40, TimeUnit.MINUTES) || process.exitValue() != 0) {
          throw new IllegalStateException(build + " failed; see its output above");
        }
        return Path.of(path);
      }
    }
    throw new IllegalStateException("Set " + variable + " or run from the project, whose .ci/"
        + script + " builds it");
  }
}
