package dev.leaderelection.chaos;

import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One chaos run: a server of its own (a control plane, or etcd for {@code leaderelection-etcd}:
 * the {@link ElectionStore}), Toxiproxy in front of it, candidates each behind its own proxy, and a seeded schedule of faults in batches. After each batch clears, it waits for a
 * leader to act again (a recovery) before the next batch. Everything lands in the
 * {@link History}; the {@link Checker} judges it at the end.
 */
final class ChaosRunner implements AutoCloseable {

  /** The name of the election (the Lease, or the etcd key's last part). */
  static final String ELECTION = "chaos";
  /** The library whose candidates elect on etcd rather than Kubernetes. */
  static final String ON_ETCD = "leaderelection-etcd";
  /** This library's candidates on a three-member etcd cluster ({@link EtcdClusterStore}). */
  static final String ON_ETCD_CLUSTER = "leaderelection-etcd-cluster";

  /**
   * What one run does.
   *
   * @param library whose elector the candidates run
   * @param classpath the candidate JVMs' classpath
   * @param candidates how many candidates compete at once
   * @param schedule which faults, how often, held how long
   * @param shards 0 for one election; else the candidates are members of one {@code ShardGroup}
   *     of this many shards ({@link ShardedCandidate}: this library, on Kubernetes or etcd)
   */
  record Settings(String library, String classpath, int candidates, LeaseTimings timings,
      FaultSchedule schedule, int faults, long seed, Path workDir, int shards) {

    /** One election, not a sharded group. */
    Settings(String library, String classpath, int candidates, LeaseTimings timings,
        FaultSchedule schedule, int faults, long seed, Path workDir) {
      this(library, classpath, candidates, timings, schedule, faults, seed, workDir, 0);
    }

    boolean sharded() {
      return shards > 0;
    }
  }

  private final Settings settings;
  private final History history = new History();
  private final Random random;
  /** The candidates up now, by slot; a slot whose candidate is restarting is absent. */
  private final Map<String, Candidate> candidates = new ConcurrentHashMap<>();
  private final List<String> slots = new ArrayList<>();
  /** Killed and terminated candidates start again here, while the faults go on. */
  private final ExecutorService restarts = Executors.newFixedThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "chaos-restart");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<String, Integer> proxyPorts = new LinkedHashMap<>();
  private final Map<String, Integer> faultCounts = new LinkedHashMap<>();
  private final List<Candidate> extras = new ArrayList<>();
  private final ControlFaults controls;
  /** The shards' leases a foreign writer edited, straight to the server, by shard. */
  private final Map<Integer, LeaseLock> shardLocks = new LinkedHashMap<>();
  private ElectionStore store;
  private NetworkFaults network;
  private FencedResource resource;
  private AutoCloseable leaseWatch;
  private int injected;
  private int extraCount;
  private int generations;
  private volatile RuntimeException restartFailure;

  /** Starts the server a run elects on. */
  @FunctionalInterface
  interface StoreFactory {
    ElectionStore start(Settings settings) throws Exception;
  }

  private final StoreFactory stores;

  ChaosRunner(Settings settings) {
    this(settings, ChaosRunner::defaultStore);
  }

  /** A run on the server {@code stores} starts (such as several API servers over one etcd). */
  ChaosRunner(Settings settings, StoreFactory stores) {
    this.stores = stores;
    this.settings = settings;
    this.random = new Random(settings.seed());
    this.controls = new ControlFaults(settings.timings(), random);
  }

  History history() {
    return history;
  }

  List<FencedResource.Action> actions() {
    return resource.actions();
  }

  /** How many faults of each kind were injected. */
  Map<String, Integer> faultCounts() {
    return Map.copyOf(faultCounts);
  }

  void run() throws Exception {
    deleteRecursively(settings.workDir());
    Files.createDirectories(settings.workDir());
    store = stores.start(settings);
    network = NetworkFaults.start(Binaries.toxiproxy(), settings.workDir().resolve("toxiproxy.log"));
    resource = new FencedResource();
    observeRenewals(store.adminLock());
    for (int i = 0; i < settings.candidates(); i++) {
      String identity = "candidate-" + i;
      slots.add(identity);
      proxyPorts.put(identity, network.proxy(identity, store.portFor(identity)));
      candidates.put(identity, startCandidate(identity, proxyPorts.get(identity), skew(i)));
    }
    recover("start", System.nanoTime(), Optional.empty());
    while (injected < settings.faults()) {
      batch();
      if (restartFailure != null) {
        throw restartFailure;
      }
    }
  }

  /** etcd for {@code leaderelection-etcd}, else one control plane. */
  private static ElectionStore defaultStore(Settings settings) throws Exception {
    return settings.library().equals(ON_ETCD) ? EtcdStore.start()
        : settings.library().equals(ON_ETCD_CLUSTER) ? EtcdClusterStore.start()
        : KubernetesStore.start(settings.workDir(), "chaos-" + Long.toHexString(settings.seed()));
  }

  /**
   * Two candidates keep a wall clock 30 s ahead and 30 s behind: this library's through its
   * record {@code Clock}, a peer's JVM through libfaketime. It must not matter.
   */
  private static int skew(int candidate) {
    return candidate == 3 ? 30 : candidate == 4 ? -30 : 0;
  }

  private Candidate startCandidate(String identity, int port, int skewSeconds) throws Exception {
    LeaseTimings timings = settings.timings();
    if (settings.sharded()) {
      List<String> arguments = List.of("-Xmx96m", "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC", "-cp", settings.classpath(),
          ShardedCandidate.class.getName(), settings.library(), store.serverFor(port),
          store.scope(), ELECTION,
          identity, Long.toString(timings.leaseDuration().toMillis()),
          Long.toString(timings.renewDeadline().toMillis()),
          Long.toString(timings.retryPeriod().toMillis()), resource.uri().toString(),
          Integer.toString(skewSeconds), Integer.toString(settings.shards()));
      Candidate candidate = Candidate.start(identity, arguments, Map.of(), history);
      if (!candidate.awaitReady(60)) {
        String why = candidate.describe();
        candidate.destroy();
        throw new IllegalStateException(identity + " did not start: " + why);
      }
      return candidate;
    }
    List<String> arguments = List.of("-Xmx96m", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-cp", settings.classpath(),
        ChaosCandidate.class.getName(), settings.library(), store.serverFor(port), store.scope(),
        ELECTION, identity,
        Long.toString(timings.leaseDuration().toMillis()),
        Long.toString(timings.renewDeadline().toMillis()),
        Long.toString(timings.retryPeriod().toMillis()), resource.uri().toString(),
        Integer.toString(skewSeconds));
    boolean ownClock = settings.library().startsWith("leaderelection");
    Candidate candidate = Candidate.start(identity, arguments,
        ownClock ? Map.of() : WallClockSkew.environment(skewSeconds), history);
    if (!candidate.awaitReady(60)) {
      String why = candidate.describe();
      candidate.destroy();
      throw new IllegalStateException(identity + " did not start: " + why);
    }
    return candidate;
  }

  /**
   * A leader asked to let go (a yield or a pause), and the term it led; recovery counts from
   * {@code nanos}: when it was asked, or, if later, when the batch's last fault was in place
   * (starting extra candidates takes seconds, and a foreign write starts the lease over); from
   * the clearing when the batch restarts the server.
   */
  private record LetGo(long nanos, String identity, long token) {
  }

  /**
   * One batch: one or more faults at once on different candidates, held together, cleared
   * together, then recovery. At least one candidate that is up and not resting after a yield
   * stays untouched, so a leader can always come back within the bound. A yield or a flap goes
   * to the leader three times in four when the leader is among the batch's targets.
   */
  private void batch() throws Exception {
    List<String> targets = awaitTargets();
    List<Runnable> clearing = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    int size = Math.min(1 + random.nextInt(settings.schedule().largestBatch()),
        targets.size() - 1);
    String keeper = targets.get(targets.size() - 1);
    Optional<String> leader = leader().filter(slot -> !slot.equals(keeper));
    if (leader.isPresent() && targets.contains(leader.get()) && random.nextBoolean()) {
      targets.remove(leader.get());
      targets.add(0, leader.get());
    }
    long holdMillis = settings.schedule().holdMillis(random);
    Optional<LetGo> letGo = Optional.empty();
    for (int i = 0; i < size; i++) {
      String kind = settings.schedule().pick(random);
      if (ControlFaults.handles(kind) && !kind.equals("slow-stop") && leader.isPresent()
          && targets.indexOf(leader.get()) > i && random.nextInt(4) < 3) {
        targets.remove(leader.get());
        targets.add(i, leader.get());
      }
      String target = targets.get(i);
      kinds.add(kind);
      history.fault(new History.Fault(kind, candidates.get(target).identity(), System.nanoTime()));
      if (ControlFaults.handles(kind)) {
        Candidate candidate = candidates.get(target);
        long token = candidate.leadingToken();
        long sent = System.nanoTime();
        ControlFaults.Injected sentFault = controls.inject(kind, target, candidate);
        if (token >= 0 && !kind.equals("slow-stop")) {
          letGo = Optional.of(new LetGo(sent, candidate.identity(), token));
        }
        holdMillis = Math.max(holdMillis, sentFault.holdAtLeastMillis());
        clearing.add(sentFault.clearing());
      } else {
        clearing.add(inject(kind, target));
      }
      injected++;
      faultCounts.merge(kind, 1, Integer::sum);
      if (kind.equals("pause") || kind.endsWith("-restart")) {
        holdMillis = Math.max(holdMillis, settings.timings().leaseDuration().toMillis() + 1_000);
      }
    }
    long inPlace = System.nanoTime();
    TimeUnit.MILLISECONDS.sleep(holdMillis);
    clearing.forEach(Runnable::run);
    // A server restart happens as the faults clear: until it is back, nobody may lead.
    boolean restarts = kinds.stream().anyMatch(kind -> kind.endsWith("-restart"));
    recover(String.join("+", kinds), System.nanoTime(), letGo.filter(let -> !restarts)
        .map(let -> new LetGo(Math.max(let.nanos(), inPlace), let.identity(), let.token())));
  }

  /**
   * The slots whose candidates are up, in a seeded order, with one that does not rest after a
   * yield last (the batch leaves it untouched); waits until at least two are up and one of them
   * competes.
   */
  private List<String> awaitTargets() throws InterruptedException {
    long patience = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      List<String> up = new ArrayList<>(slots.stream().filter(candidates::containsKey).toList());
      Collections.shuffle(up, random);
      Optional<String> keeper = up.stream().filter(slot -> !controls.resting(slot)).findFirst();
      if (up.size() >= 2 && keeper.isPresent()) {
        up.remove(keeper.get());
        up.add(keeper.get());
        return up;
      }
      if (System.nanoTime() > patience) {
        throw new IllegalStateException("candidates did not come back: only " + up + " up");
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** Injects a fault now; returns what clears it. */
  private Runnable inject(String kind, String target) throws Exception {
    if (store instanceof EtcdClusterStore cluster && cluster.handles(kind)) {
      return cluster.inject(kind, random); // the etcd cluster's members, not a candidate
    }
    Candidate candidate = candidates.get(target);
    Duration renewDeadline = settings.timings().renewDeadline();
    switch (kind) {
      case "partition" -> network.partition(target);
      case "blackhole" -> network.blackhole(target);
      case "latency" -> network.latency(target,
          Duration.ofMillis(1 + random.nextInt((int) renewDeadline.toMillis() * 2)));
      case "slow" -> network.latency(target, renewDeadline.dividedBy(2).plusMillis(200));
      case "reset" -> network.reset(target);
      case "sigkill" -> {
        if (candidate.leadingToken() >= 0) {
          history.crash(new History.Crash(candidate.identity(), System.nanoTime(),
              settings.timings().leaseDuration().toNanos()));
        }
        candidate.kill();
        candidates.remove(target);
        return () -> restart(target, candidate.identity());
      }
      case "sigterm" -> {
        candidate.terminate();
        candidates.remove(target);
        return () -> restart(target, candidate.identity());
      }
      case "pause" -> {
        long token = candidate.leadingToken();
        Map<Integer, Long> shards = candidate.leadingShards();
        long stopped = System.nanoTime();
        candidate.stop();
        return () -> {
          try {
            candidate.resume();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          long continued = System.nanoTime();
          if (settings.sharded()) {
            shards.forEach((shard, shardToken) -> history.shard(shard).pause(
                new History.Pause(candidate.identity(), shardToken, stopped, continued)));
          } else {
            history.pause(new History.Pause(candidate.identity(), token, stopped, continued));
          }
        };
      }
      case "api-restart", "etcd-restart" -> {
        return () -> {
          try {
            store.restart();
          } catch (Exception e) {
            throw new IllegalStateException("the server did not restart (" + kind + ")", e);
          }
        };
      }
      case "contention" -> {
        List<Candidate> burst = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          String identity = "extra-" + (++extraCount);
          int port = network.proxy(identity, store.port());
          burst.add(startCandidate(identity, port, 0));
        }
        extras.addAll(burst);
        return () -> burst.forEach(extra -> {
          try {
            extra.kill();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      case "foreign-writer" -> {
        writeForeignHolder(foreignTarget());
        return () -> { };
      }
      default -> {
        return store.inject(kind, target, random)
            .orElseThrow(() -> new IllegalArgumentException(kind));
      }
    }
    return () -> {
      try {
        network.heal(target);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /**
   * Sets the holder as {@code kubectl edit} (or {@code etcdctl put}) would: read, change, write;
   * a write that lost the race with a renewal is tried again on a fresh read, as a person would.
   */
  private void writeForeignHolder(LeaseLock lease) {
    for (int attempt = 1; ; attempt++) {
      try {
        lease.get().ifPresent(current -> lease.update(LeaderRecord.builder()
            .holderIdentity("kubectl-edit").leaseDuration(current.leaseDuration())
            .acquireTime(current.acquireTime()).renewTime(Instant.now())
            .leaseTransitions(current.leaseTransitions()).version(current.version()).build()));
        return;
      } catch (LeaseConflictException lostRace) {
        if (attempt == 10) {
          throw lostRace;
        }
      } catch (LeaseLockException unreachable) {
        // The server is still coming back from a restart (its client reconnecting): a person
        // tries again a moment later.
        if (attempt == 10) {
          throw unreachable;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw unreachable;
        }
      }
    }
  }

  /** The lease a person edits: the election's, or in a sharded run a random shard's. */
  private LeaseLock foreignTarget() {
    if (!settings.sharded()) {
      return store.adminLock();
    }
    return shardLocks.computeIfAbsent(random.nextInt(settings.shards()), shard ->
        store.adminLock(ShardedCandidate.shardLease(ELECTION, shard)));
  }

  /**
   * Starts the candidate of {@code slot} again, in the background: under its old identity half the
   * time (a StatefulSet's pod), else under a new one (a Deployment's). The slot takes no fault
   * until it is up.
   */
  private void restart(String slot, String oldIdentity) {
    String identity = random.nextBoolean() ? oldIdentity : slot + "." + (++generations);
    int port = proxyPorts.get(slot);
    controls.restarted(slot);
    int skew = skew(Integer.parseInt(slot.substring(slot.indexOf('-') + 1)));
    restarts.execute(() -> {
      try {
        candidates.put(slot, startCandidate(identity, port, skew));
      } catch (Exception e) {
        restartFailure = new IllegalStateException(identity + " did not restart", e);
      }
    });
  }

  /**
   * Waits for any candidate to act as leader after the faults cleared, within the bound. When the
   * leader let go on request during the batch (a yield or a pause is not a crash), the bound runs
   * from then ({@link LetGo}), and until the faults cleared only another term's actions count.
   */
  private void recover(String after, long cleared, Optional<LetGo> letGo)
      throws InterruptedException {
    LeaseTimings timings = settings.timings();
    long bound = timings.leaseDuration().plus(timings.retryPeriod().multipliedBy(2)).toNanos();
    long from = letGo.map(LetGo::nanos).filter(nanos -> nanos < cleared).orElse(cleared);
    long patience = from + bound + TimeUnit.SECONDS.toNanos(after.equals("start") ? 60 : 5);
    while (System.nanoTime() < patience) {
      OptionalLong first = resource.firstCheckedSince(cleared);
      if (letGo.isPresent()) {
        LetGo let = letGo.get();
        OptionalLong other = resource.firstCheckedSince(let.nanos(),
            action -> !(action.identity().equals(let.identity()) && action.token() == let.token()));
        if (other.isPresent() && (first.isEmpty() || other.getAsLong() < first.getAsLong())) {
          first = other;
        }
      }
      if (first.isPresent()) {
        if (!after.equals("start")) {
          history.recovery(new History.Recovery(after, from, first.getAsLong(), bound));
        }
        awaitEveryShard(after, cleared);
        return;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    history.recovery(new History.Recovery(after, from, -1, bound));
    awaitEveryShard(after, cleared);
  }

  /**
   * In a sharded run: waits until every shard has acted since the faults cleared, and notes when
   * ({@link History.Coverage}; -1 past the patience: a member's TTL and a lease duration, each
   * shard's bound after that, and 10 s more). A liveness figure: the next batch comes either way.
   */
  private void awaitEveryShard(String after, long cleared) throws InterruptedException {
    if (!settings.sharded()) {
      return;
    }
    LeaseTimings timings = settings.timings();
    long patience = cleared + timings.leaseDuration().multipliedBy(2)
        .plus(timings.retryPeriod().multipliedBy(2)).toNanos()
        + TimeUnit.SECONDS.toNanos(after.equals("start") ? 60 : 10);
    while (System.nanoTime() < patience) {
      Map<Integer, Long> acted = resource.shardsCheckedSince(cleared);
      if (acted.size() >= settings.shards()) {
        if (!after.equals("start")) {
          history.coverage(new History.Coverage(after, cleared,
              Collections.max(acted.values())));
        }
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    if (!after.equals("start")) {
      history.coverage(new History.Coverage(after, cleared, -1));
    }
  }

  /** The slot of the candidate that reported leading, if any. */
  private Optional<String> leader() {
    return slots.stream().filter(slot -> {
      Candidate candidate = candidates.get(slot);
      return candidate != null && candidate.leadingToken() >= 0;
    }).findFirst();
  }

  /**
   * Notes, on this clock, every renewal and release of the lease as the harness sees it (not
   * proxied).
   */
  private void observeRenewals(LeaseLock lease) {
    leaseWatch = lease.watch(new RecordWatcher() {
      @Override
      public void changed(Optional<LeaderRecord> record) {
        record.ifPresent(changed -> history.renewal(new History.Renewal(
            changed.isHeld() ? changed.holderIdentity() : "", System.nanoTime())));
      }

      @Override
      public void broken(LeaseLockException cause) {
        // the server restarts: the lock reconnects by itself
      }
    }).orElseThrow();
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Override
  public void close() {
    restarts.shutdown();
    try {
      restarts.awaitTermination(90, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Candidate candidate : candidates.values()) {
      candidate.destroy();
    }
    for (Candidate extra : extras) {
      extra.destroy();
    }
    if (leaseWatch != null) {
      try {
        leaseWatch.close();
      } catch (Exception e) {
        // the watch ends with the store below
      }
    }
    if (resource != null) {
      resource.close();
    }
    if (network != null) {
      network.close();
    }
    if (store != null) {
      store.close();
    }
  }
}
