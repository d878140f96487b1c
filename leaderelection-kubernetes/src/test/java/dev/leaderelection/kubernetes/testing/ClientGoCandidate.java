package dev.leaderelection.kubernetes.testing;

import dev.leaderelection.testing.ChildJvm;
import dev.leaderelection.testing.GoBinaries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A coordinated leader-election candidate of client-go (k8s.io/client-go v0.36.4, the version of
 * the local control plane's kube-apiserver), run as a process: {@code .ci/clientgo-candidate},
 * built by {@code .ci/build-clientgo-candidate} or named by {@code CLIENTGO_CANDIDATE}. It prints
 * {@code LEADING}/{@code STOPPED} lines, which this class turns into calls of a {@link Listener}
 * stamped with {@link System#nanoTime()}. The process stops with the JVM (it exits when its
 * standard input closes); its client-go log goes to a file in {@code logDir}.
 */
public final class ClientGoCandidate implements AutoCloseable {

  /** Told, from the thread that reads the process's output, when a term begins or ends. */
  public interface Listener {

    void started(String identity, long nanos);

    void stopped(String identity, long nanos);
  }

  private final String identity;
  private final Process process;
  private final Thread reader;
  private final AtomicLong firstLeadingNanos = new AtomicLong();
  private final List<String> lines = new ArrayList<>();

  private ClientGoCandidate(String identity, Process process, Listener listener) {
    this.identity = identity;
    this.process = process;
    this.reader = new Thread(() -> read(listener), "clientgo-" + identity);
    reader.setDaemon(true);
    reader.start();
  }

  /** The binary: {@code CLIENTGO_CANDIDATE}, else built by {@code .ci/build-clientgo-candidate}. */
  public static Optional<Path> binary() throws IOException, InterruptedException {
    return GoBinaries.find("CLIENTGO_CANDIDATE", "build-clientgo-candidate");
  }

  /** Whether {@link #binary()} can give one: the variable is set, or Go is on the PATH. */
  public static boolean available() {
    return GoBinaries.available("CLIENTGO_CANDIDATE");
  }

  /**
   * Starts a candidate of {@code version} (binary and emulation) for {@code lease} at client-go's
   * 6s/4s/1s timings; when it stops it deletes its LeaseCandidate only if
   * {@code deleteCandidate} (client-go itself never does).
   */
  public static ClientGoCandidate start(Path binary, Path kubeconfig, String namespace,
      String lease, String identity, String version, boolean deleteCandidate, Path logDir,
      Listener listener) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(identity + ".log");
    Process process = ChildJvm.clean(new ProcessBuilder(List.of(binary.toString(),
            "-kubeconfig", kubeconfig.toString(), "-namespace", namespace, "-lease", lease,
            "-identity", identity, "-binary-version", version, "-emulation-version", version,
            "-lease-duration", "6s", "-renew-deadline", "4s", "-retry-period", "1s",
            "-delete-candidate=" + deleteCandidate, "-exit-with-stdin", "-v", "4")))
        .redirectError(log.toFile())
        .start();
    return new ClientGoCandidate(identity, process, listener);
  }

  public String identity() {
    return identity;
  }

  /** When (System.nanoTime) client-go first began a term; 0 if it has not. */
  public long firstLeadingNanos() {
    return firstLeadingNanos.get();
  }

  /** The lines printed so far. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** SIGTERM (client-go releases the Lease if it holds it), then waits up to {@code wait}. */
  public boolean stop(Duration wait) throws InterruptedException {
    process.destroy();
    boolean exited = process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    reader.join(1_000);
    return exited;
  }

  /** SIGKILL: the process departs without releasing anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
    reader.join(1_000);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive() && !stop(Duration.ofSeconds(15))) {
      kill();
    }
  }

  private void read(Listener listener) {
    boolean leading = false;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        long now = System.nanoTime();
        synchronized (this) {
          lines.add(line);
        }
        if (line.startsWith("LEADING ")) {
          leading = true;
          firstLeadingNanos.compareAndSet(0, now);
          listener.started(identity, now);
        } else if (line.startsWith("STOPPED ") && leading) {
          leading = false;
          listener.stopped(identity, now);
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    if (leading) {
      listener.stopped(identity, System.nanoTime());
    }
  }
}
