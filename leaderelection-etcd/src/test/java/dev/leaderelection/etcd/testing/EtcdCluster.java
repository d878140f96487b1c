package dev.leaderelection.etcd.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.testing.ChildJvm;
import dev.leaderelection.testing.ChildProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real etcd cluster of several members ({@code m1}, {@code m2}, ...), each its own etcd
 * launcher process in member mode, so that a test can kill, stop and restart members one by one
 * and cut a member off from its peers or from the clients. Each member's advertised peer and
 * client URLs are gates of its launcher (see {@code .ci/etcd-launcher/member.go}): the peer gate
 * refuses raft traffic from named members, the client gate refuses or blackholes clients. Data
 * and logs live under {@code java.io.tmpdir} (the module's {@code target/} under Maven) and are
 * removed on {@link #close()}.
 *
 * <p>Thread-safe: the chaos harness drives it from its own threads.
 */
public final class EtcdCluster implements AutoCloseable {

  private static final String READY = "READY ";
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long COMMAND_TIMEOUT_SECONDS = 10;

  /** How a member's client gate treats clients. */
  public enum Clients {
    /** Clients reach the member. */
    OPEN,
    /** Connections are closed and refused: clients fail over at once. */
    REFUSE,
    /** Connections stay open but every byte is dropped: calls hang until their deadline. */
    BLACKHOLE
  }

  private final Path binary;
  private final Path dir;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(1)).build();
  private final Thread cleanup;

  private EtcdCluster(Path binary, Path dir, int size) {
    this.binary = binary;
    this.dir = dir;
    this.cleanup = new Thread(this::stopAndDelete, "etcd-cluster-stop");
    List<Integer> ports = freePorts(3 * size);
    for (int i = 0; i < size; i++) {
      String name = "m" + (i + 1);
      members.put(name, new Member(name, ports.get(3 * i), ports.get(3 * i + 1),
          ports.get(3 * i + 2), dir.resolve(name)));
    }
  }

  static EtcdCluster start(Path binary, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size " + size + " < 1");
    }
    EtcdCluster cluster;
    try {
      cluster = new EtcdCluster(binary, Files.createTempDirectory("etcd-cluster"), size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(cluster.cleanup);
    try {
      cluster.restart(cluster.members().toArray(String[]::new));
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The member names, {@code m1}, {@code m2}, ... */
  public List<String> members() {
    return List.copyOf(members.keySet());
  }

  /** Every member's client URL (through its client gate), in member order. */
  public List<String> endpoints() {
    return members.values().stream().map(Member::endpoint).toList();
  }

  /**
   * Every member's own client URL, past its client gate (the same across restarts): for a test's
   * own reads and writes, which client partitions must not hinder.
   */
  public List<String> directEndpoints() {
    return members.values().stream().map(member -> member.direct).toList();
  }

  /** The client URL of {@code member}, through its client gate. */
  public String endpoint(String member) {
    return member(member).endpoint();
  }

  /** Whether {@code member}'s process runs. */
  public synchronized boolean running(String member) {
    return member(member).process != null;
  }

  /**
   * The member that leads the raft cluster now by its own account (it answers, and names itself
   * leader), read from each member's status past its client gate; empty while there is none.
   */
  public Optional<String> leader() {
    String best = null;
    long bestTerm = -1;
    for (Member member : snapshot()) {
      Optional<JsonObject> status = status(member);
      if (status.isEmpty()) {
        continue;
      }
      JsonObject header = status.get().getAsJsonObject("header");
      String self = header.get("member_id").getAsString();
      String leader = status.get().has("leader") ? status.get().get("leader").getAsString() : "0";
      long term = header.has("raft_term") ? header.get("raft_term").getAsLong() : 0;
      if (self.equals(leader) && term > bestTerm) {
        best = member.name;
        bestTerm = term;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Waits up to {@code timeout} for a leader member (polling); returns its name. */
  public String awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> leader = leader();
      if (leader.isPresent()) {
        return leader.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no etcd member leads after " + timeout + "; logs in "
            + dir);
      }
      sleep(50);
    }
  }

  /** Kills {@code member} (SIGKILL); its data stays for {@link #restart}. */
  public void kill(String member) {
    member(member).stop(true);
  }

  /** Stops {@code member} as SIGTERM does; its data stays for {@link #restart}. */
  public void stop(String member) {
    member(member).stop(false);
  }

  /**
   * Starts the given stopped members again on their ports and data, all at once (so that two
   * members that need each other for a quorum both come back), and waits until each is ready.
   * The other members stop blocking them: a restarted member comes back connected, with its own
   * gates open.
   */
  public void restart(String... names) {
    List<Member> starting = Stream.of(names).map(this::member).toList();
    synchronized (this) {
      for (Member member : starting) {
        if (member.process != null) {
          throw new IllegalStateException(member.name + " is running");
        }
        member.blockedPeers.clear();
        member.clients = Clients.OPEN;
      }
      for (Member other : members.values()) {
        if (!starting.contains(other) && other.blockedPeers.removeAll(List.of(names))) {
          other.applyPeers();
        }
      }
      for (Member member : starting) {
        member.launch();
      }
    }
    for (Member member : starting) {
      member.awaitReady();
    }
  }

  /**
   * Cuts {@code member} off from every other member, both ways (raft messages, streams and
   * snapshots); it keeps serving clients that reach it, but without a quorum.
   */
  public synchronized void partitionFromPeers(String member) {
    Member cut = member(member);
    cut.blockedPeers.addAll(members.keySet());
    cut.blockedPeers.remove(member);
    cut.applyPeers();
    for (Member other : members.values()) {
      if (other != cut && other.blockedPeers.add(member)) {
        other.applyPeers();
      }
    }
  }

  /** Closes and refuses every client connection to {@code member}. */
  public void partitionFromClients(String member) {
    clients(member, Clients.REFUSE);
  }

  /** Sets how {@code member}'s client gate treats clients. */
  public synchronized void clients(String member, Clients mode) {
    Member target = member(member);
    target.clients = mode;
    target.applyClients();
  }

  /** Lifts every partition: all peers reach each other, all clients reach every member. */
  public synchronized void heal() {
    for (Member member : members.values()) {
      if (!member.blockedPeers.isEmpty()) {
        member.blockedPeers.clear();
        member.applyPeers();
      }
      if (member.clients != Clients.OPEN) {
        member.clients = Clients.OPEN;
        member.applyClients();
      }
    }
  }

  /** Where the members' data and launcher logs are. */
  public Path directory() {
    return dir;
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
    return "etcd cluster " + members.keySet() + " at " + String.join(",", endpoints());
  }

  private Member member(String name) {
    Member member = members.get(name);
    if (member == null) {
      throw new IllegalArgumentException("no member " + name + " in " + members.keySet());
    }
    return member;
  }

  private synchronized List<Member> snapshot() {
    return members.values().stream().filter(member -> member.process != null).toList();
  }

  private Optional<JsonObject> status(Member member) {
    String direct = member.direct;
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                  URI.create(direct + "/v3/maintenance/status"))
              .timeout(Duration.ofMillis(500))
              .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(JsonParser.parseString(response.body()).getAsJsonObject());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private String initialCluster() {
    return members.values().stream()
        .map(member -> member.name + "=http://127.0.0.1:" + member.peerPort)
        .collect(Collectors.joining(","));
  }

  private void stopAndDelete() {
    List<Member> all;
    synchronized (this) {
      all = List.copyOf(members.values());
    }
    all.forEach(member -> member.stop(true));
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("Could not delete " + dir + ": " + e);
    }
  }

  private static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        socket.setReuseAddress(true);
        sockets.add(socket);
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // free anyway
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One member: its process, its ports and the state of its gates. */
  private final class Member {

    final String name;
    final int peerPort;
    final int clientPort;
    final String direct;
    final Path dataDir;
    final Set<String> blockedPeers = new LinkedHashSet<>();
    Clients clients = Clients.OPEN;
    @Nullable Process process;
    @Nullable Writer commands;
    CompletableFuture<String> ready = new CompletableFuture<>();
    BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    Member(String name, int peerPort, int clientPort, int directPort, Path dataDir) {
      this.name = name;
      this.peerPort = peerPort;
      this.clientPort = clientPort;
      this.direct = "http://127.0.0.1:" + directPort;
      this.dataDir = dataDir;
    }

    String endpoint() {
      return "http://127.0.0.1:" + clientPort;
    }

    Path log() {
      return dir.resolve(name + ".log");
    }

    /** Starts the process; called holding the cluster's lock. */
    void launch() {
      List<String> command = List.of(binary.toString(), "--exit-with-stdin",
          "--data-dir", dataDir.toString(), "--log-file", log().toString(),
          "--name", name, "--initial-cluster", initialCluster(),
          "--peer-port", Integer.toString(peerPort), "--client-port", Integer.toString(clientPort),
          "--direct-client-port", Integer.toString(URI.create(direct).getPort()));
      try {
        Process started = ChildJvm.clean(new ProcessBuilder(command))
            .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()))
            .start();
        CompletableFuture<String> readyLine = new CompletableFuture<>();
        BlockingQueue<String> answerQueue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> read(started, readyLine, answerQueue),
            "etcd-" + name + "-out");
        reader.setDaemon(true);
        reader.start();
        process = started;
        commands = new OutputStreamWriter(started.getOutputStream(), StandardCharsets.UTF_8);
        ready = readyLine;
        answers = answerQueue;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void awaitReady() {
      CompletableFuture<String> line;
      synchronized (EtcdCluster.this) {
        line = ready;
      }
      try {
        line.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new IllegalStateException("etcd member " + name + " did not become ready within "
            + START_TIMEOUT_SECONDS + "s; see " + log(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private static void read(Process process, CompletableFuture<String> ready,
        BlockingQueue<String> answers) {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith(READY)) {
            ready.complete(line.substring(READY.length()).trim());
          } else if (line.startsWith("OK ") || line.startsWith("ERR ")) {
            answers.add(line);
          }
        }
      } catch (IOException e) {
        // the process went away
      }
      ready.completeExceptionally(new IllegalStateException("the member's process exited"));
    }

    void stop(boolean kill) {
      Process running;
      synchronized (EtcdCluster.this) {
        running = process;
        process = null;
        commands = null;
      }
      if (running == null) {
        return;
      }
      if (!kill) {
        ChildProcesses.stop(running, Duration.ofSeconds(15));
        return;
      }
      try {
        ChildProcesses.kill(running);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Tells the running process which members to block; called holding the cluster's lock. */
    void applyPeers() {
      send("block-peers" + (blockedPeers.isEmpty() ? "" : " " + String.join(",", blockedPeers)));
    }

    void applyClients() {
      send("clients " + clients.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Sends a command and waits for its answer; a stopped member takes none. */
    private void send(String command) {
      Writer writer = commands;
      if (writer == null) {
        return;
      }
      try {
        writer.write(command + "\n");
        writer.flush();
        String answer = answers.poll(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (answer == null) {
          throw new IllegalStateException("etcd member " + name + " did not answer '" + command
              + "'; see " + log());
        }
        if (!answer.equals("OK " + command)) {
          throw new IllegalStateException("etcd member " + name + ": " + answer);
        }
      } catch (IOException e) {
        // the process died under us: a killed member takes no commands
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
