package dev.leaderelection.benchmarks;

import dev.leaderelection.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A candidate JVM whose {@code LEADING} lines are stamped on the harness's monotonic clock as
 * they arrive.
 */
final class CandidateProcess {

  private final String identity;
  private final Process process;
  private volatile long leadingSinceNanos = -1;
  private volatile boolean stopping;
  private final List<String> exceptions = new CopyOnWriteArrayList<>();

  private CandidateProcess(String identity, Process process) {
    this.identity = identity;
    this.process = process;
    Thread reader = new Thread(this::read, "candidate-output " + identity);
    reader.setDaemon(true);
    reader.start();
  }

  static CandidateProcess start(String identity, List<String> command) throws IOException {
    return new CandidateProcess(identity, ChildJvm.clean(new ProcessBuilder(command))
        .redirectErrorStream(true).start());
  }

  String identity() {
    return identity;
  }

  /** When this candidate last reported leading, on the harness's clock; -1 if it does not. */
  long leadingSinceNanos() {
    return leadingSinceNanos;
  }

  /** The first lines of its output that name an exception. */
  List<String> exceptions() {
    return List.copyOf(exceptions);
  }

  /**
   * Whether it leads as far as anyone can tell: it said so last, it is alive, and it was not
   * told to stop (a stopping leader ends its term before it releases).
   */
  boolean leadsNow() {
    return leadingSinceNanos >= 0 && !stopping && process.isAlive();
  }

  /** SIGKILL: a crash. */
  void kill() throws InterruptedException {
    stopping = true;
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: a graceful shutdown; returns at once. */
  void terminate() {
    stopping = true;
    process.destroy();
  }

  void destroy() {
    process.destroyForcibly();
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.equals("LEADING")) {
          leadingSinceNanos = System.nanoTime();
        } else if (line.equals("FOLLOWING")) {
          leadingSinceNanos = -1;
        } else if (line.contains("Exception") && exceptions.size() < 100) {
          exceptions.add(line);
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }
}
