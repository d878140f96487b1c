package dev.leaderelection.benchmarks;

import dev.leaderelection.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GroupCandidate} JVM: its shard events go to a list the harness shares between its
 * members, as they are read, and its whole output, each line stamped on the harness's clock, to
 * a log file (under target/).
 */
final class GroupMember {

  private final String identity;
  private final Process process;
  private final List<ShardEvent> events;
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile long readyNanos = -1;
  private volatile boolean closed;

  private final Path log;

  private GroupMember(String identity, Process process, List<ShardEvent> events, Path log) {
    this.identity = identity;
    this.process = process;
    this.events = events;
    this.log = log;
    reader = new Thread(this::read, "group-member-output " + identity);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code command} (a {@link GroupCandidate}); its events are added to {@code events},
   * its output written to {@code log}.
   */
  static GroupMember start(String identity, List<String> command, List<ShardEvent> events,
      Path log) throws IOException {
    Files.createDirectories(log.getParent());
    return new GroupMember(identity, ChildJvm.clean(new ProcessBuilder(command))
        .redirectErrorStream(true).start(), events, log);
  }

  String identity() {
    return identity;
  }

  /** When it printed {@code READY} (its group or electors started); -1 before. */
  long readyNanos() {
    return readyNanos;
  }

  /** Whether it printed {@code CLOSED}: a SIGTERM's close finished. */
  boolean closed() {
    return closed;
  }

  /** Up to 20 lines that name an exception or an error. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * SIGKILL; returns the harness's time just before the signal, once the process is gone and
   * what it printed before is read. Signals through its {@link ProcessHandle}: {@link
   * Process#destroyForcibly()} would also close the pipe and lose that output.
   */
  long kill() throws InterruptedException {
    long nanos = System.nanoTime();
    process.toHandle().destroyForcibly();
    awaitExit(10);
    return nanos;
  }

  /**
   * SIGTERM; returns the harness's time just before the signal. Does not wait. Signals through
   * its {@link ProcessHandle}: {@link Process#destroy()} also closes the pipe, and everything
   * the process prints while it closes (its shards' losses) would be lost.
   */
  long terminate() {
    long nanos = System.nanoTime();
    process.toHandle().destroy();
    return nanos;
  }

  /** Waits for the process to end and its output to be read; false if it did not end. */
  boolean awaitExit(long seconds) throws InterruptedException {
    boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
    reader.join(TimeUnit.SECONDS.toMillis(5));
    return ended;
  }

  void destroy() {
    process.destroyForcibly();
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        out.write(System.nanoTime() + " " + line + "\n");
        out.flush();
        if (line.startsWith("READY ")) {
          readyNanos = Long.parseLong(line.substring("READY ".length()).trim());
        } else if (line.equals("CLOSED")) {
          closed = true;
        } else if (ShardEvent.parse(identity, line).map(events::add).isEmpty()
            && (line.contains("Exception") || line.contains("ERROR")) && problems.size() < 20) {
          problems.add(line);
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }
}
