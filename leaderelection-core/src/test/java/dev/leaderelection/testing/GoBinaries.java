package dev.leaderelection.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers tests run, built from Go modules by the project's {@code .ci/build-*} scripts (which
 * cache them), or given by an environment variable; and how to wait for one to say it is ready.
 */
public final class GoBinaries {

  private static final Logger log = LoggerFactory.getLogger(GoBinaries.class);
  private static final long BUILD_TIMEOUT_MINUTES = 40;

  private GoBinaries() {
  }

  /**
   * The binary the environment variable {@code variable} names, else the one {@code .ci/<script>}
   * builds (or finds in its cache) when Go is on the PATH; empty when neither is possible.
   */
  public static Optional<Path> find(String variable, String script)
      throws IOException, InterruptedException {
    String configured = System.getenv(variable);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    Optional<Path> build = buildScript(script);
    if (build.isEmpty() || !onPath("go")) {
      return Optional.empty();
    }
    log.info("Building with {} (a cold build can take minutes; it is cached)", build.get());
    ProcessBuilder builder = new ProcessBuilder("bash", build.get().toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    // Go's work directory goes where this JVM's temporary files go, not to /tmp.
    builder.environment().put("GOTMPDIR", System.getProperty("java.io.tmpdir"));
    Process process = builder.start();
    String path = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
        .trim();
    if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException(build.get() + " failed; see its output above");
    }
    return Optional.of(Path.of(path));
  }

  /** Whether {@link #find} can give the binary: the variable is set, or Go is on the PATH. */
  public static boolean available(String variable) {
    String configured = System.getenv(variable);
    return (configured != null && !configured.isBlank()) || onPath("go");
  }

  /**
   * Reads {@code process}'s standard output until a line starts with {@code prefix}, and returns
   * the rest of that line.
   *
   * @throws IllegalStateException when the process ends first
   */
  public static String readyLine(Process process, String prefix) {
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
      }
      throw new IllegalStateException("the process exited with " + process.waitFor());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("cannot read the process's output", e);
    }
  }

  private static Optional<Path> buildScript(String script) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path build = dir.resolve(".ci").resolve(script);
      if (Files.isRegularFile(build)) {
        return Optional.of(build);
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
