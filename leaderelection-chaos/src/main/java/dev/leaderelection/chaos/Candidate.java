package dev.leaderelection.chaos;

import dev.leaderelection.testing.ChildJvm;
import dev.leaderelection.testing.ChildProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One candidate JVM ({@link ChaosCandidate}) and what it reports: each term it begins goes to the
 * history as it arrives, and the token of the term it leads in now is kept so faults can aim at
 * the leader. Signals are real: SIGKILL, SIGTERM, SIGSTOP and SIGCONT; commands to this library's
 * elector go down the candidate's {@link ControlChannel}. A sharded candidate
 * ({@link ShardedCandidate}) reports each shard's terms into the shard's history
 * ({@link History#shard(int)}); it counts as leading while it leads any shard.
 */
final class Candidate {

  private final String identity;
  private final Process process;
  private final History history;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile long leadingToken = -1;
  /** A sharded candidate's shards it reported leading now, with their terms' tokens. */
  private final Map<Integer, Long> leadingShards = new java.util.concurrent.ConcurrentHashMap<>();
  /** The application traffic's counts it last printed ({@code <answered> <failed>}), if any. */
  private volatile String traffic = "";
  /** The last lines the candidate printed, to say why it did not start. */
  private final java.util.Deque<String> recent = new java.util.ArrayDeque<>();

  private Candidate(String identity, Process process, History history) {
    this.identity = identity;
    this.process = process;
    this.history = history;
    Thread reader = new Thread(this::read, "chaos-candidate " + identity);
    reader.setDaemon(true);
    reader.start();
  }

  static Candidate start(String identity, List<String> arguments,
      Map<String, String> environment, History history) throws IOException {
    ProcessBuilder builder = ChildJvm.builder(arguments).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    return new Candidate(identity, process, history);
  }

  String identity() {
    return identity;
  }

  /** The token of the term this candidate reported leading in, or -1. */
  long leadingToken() {
    return leadingToken;
  }

  /** A sharded candidate's shards it reported leading now, with their terms' tokens. */
  Map<Integer, Long> leadingShards() {
    return Map.copyOf(leadingShards);
  }

  /** Whether the process runs, and the last lines it printed. */
  String describe() {
    synchronized (recent) {
      return (process.isAlive() ? "running" : "exited with " + process.exitValue())
          + ", last output:\n" + String.join("\n", recent);
    }
  }

  /** The application traffic's last counts, {@code <answered> <failed>}; empty without any. */
  String traffic() {
    return traffic;
  }

  boolean awaitReady(long seconds) throws InterruptedException {
    return ready.await(seconds, TimeUnit.SECONDS);
  }

  void kill() throws InterruptedException {
    ChildProcesses.kill(process);
    leadingToken = -1;
    leadingShards.clear();
  }

  /** SIGTERM: the candidate shuts down gracefully (and releases); waits for it to exit. */
  void terminate() throws InterruptedException {
    ChildProcesses.stop(process, Duration.ofSeconds(20));
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("interrupted while " + process + " terminated");
    }
    leadingToken = -1;
    leadingShards.clear();
  }

  void stop() throws IOException, InterruptedException {
    signal("-STOP");
  }

  void resume() throws IOException, InterruptedException {
    signal("-CONT");
  }

  /** Sends one command down the candidate's control channel ({@link ControlChannel}). */
  synchronized void send(String command) throws IOException {
    java.io.OutputStream in = process.getOutputStream();
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Kills the process without waiting; for cleaning up. */
  void destroy() {
    process.destroyForcibly();
  }

  private void signal(String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", signal, Long.toString(process.pid())).start().waitFor();
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (recent) {
          recent.addLast(line);
          if (recent.size() > 30) {
            recent.removeFirst();
          }
        }
        String[] parts = line.split(" ");
        switch (parts[0]) {
          case "READY" -> ready.countDown();
          case "TRAFFIC" -> traffic = line.substring("TRAFFIC ".length());
          case "BEGIN" -> {
            long token = Long.parseLong(parts[1]);
            leadingToken = token;
            History.Term term = new History.Term(identity, token, Long.parseLong(parts[2]));
            history.term(term);
            if (parts.length > 3 && parts[3].equals("PAUSED")) {
              history.beganWhilePaused(term);
            }
          }
          case "SBEGIN" -> { // SBEGIN <shard> <token> <nanos>: a shard's term began
            int shard = Integer.parseInt(parts[1]);
            long token = Long.parseLong(parts[2]);
            leadingShards.put(shard, token);
            leadingToken = token;
            history.shard(shard).term(new History.Term(identity, token, Long.parseLong(parts[3])));
          }
          case "SEND" -> { // SEND <shard> <token> <nanos> <reason>
            int shard = Integer.parseInt(parts[1]);
            leadingShards.remove(shard, Long.parseLong(parts[2]));
            leadingToken = leadingShards.values().stream().mapToLong(Long::longValue).max()
                .orElse(-1);
            history.shard(shard).ended(parts.length > 4 ? parts[4] : "UNKNOWN");
            history.ended(parts.length > 4 ? parts[4] : "UNKNOWN");
          }
          case "END" -> {
            leadingToken = -1;
            history.ended(parts.length > 3 ? parts[3] : "UNKNOWN");
          }
          default -> {
            if (line.startsWith("control command")) {
              System.out.println(identity + ": " + line);
            }
            // else the elector's own log lines
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended
    }
  }
}
