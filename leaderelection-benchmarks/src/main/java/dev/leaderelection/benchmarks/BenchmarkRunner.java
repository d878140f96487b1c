package dev.leaderelection.benchmarks;

import dev.leaderelection.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs every measurement against one real API server and one real etcd (each {@link Backend})
 * and writes the report. Each candidate is a JVM of its own, so a crash is a real SIGKILL and a
 * shutdown a real SIGTERM.
 */
public final class BenchmarkRunner {

  /** How much to measure: one trial of each (for CI) or the full run (20 trials). */
  public enum Mode {
    QUICK(1, Duration.ofSeconds(10), List.of(new Scale(1, DEFAULTS, Duration.ofSeconds(10)),
        new Scale(10, DEFAULTS, Duration.ofSeconds(10)),
        new Scale(100, DEFAULTS, Duration.ofSeconds(10))),
        List.of(new LatencyScale(new Scale(10, DEFAULTS, Duration.ofSeconds(10)), 50))),
    FULL(20, Duration.ofSeconds(30), List.of(new Scale(1, DEFAULTS, Duration.ofSeconds(60)),
        new Scale(10, DEFAULTS, Duration.ofSeconds(60)),
        new Scale(100, DEFAULTS, Duration.ofSeconds(60)),
        new Scale(1000, THOUSAND, Duration.ofSeconds(120))),
        LatencyScale.rows(List.of(new Scale(100, DEFAULTS, Duration.ofSeconds(60)),
            new Scale(1000, THOUSAND, Duration.ofSeconds(120))), List.of(20, 50, 100)));

    final int trials;
    final Duration trafficWindow;
    final List<Scale> footprints;
    final List<LatencyScale> latencies;

    Mode(int trials, Duration trafficWindow, List<Scale> footprints,
        List<LatencyScale> latencies) {
      this.trials = trials;
      this.trafficWindow = trafficWindow;
      this.footprints = footprints;
      this.latencies = latencies;
    }

    /**
     * The timings of the failover and handover trials: both sets in full mode; in quick mode
     * only the faster one, which runs the same code in less time (every measurement still
     * produces a figure).
     */
    List<Timings> trialTimings() {
      return this == QUICK ? List.of(FAST) : timings();
    }
  }

  /** client-go's default timings. */
  static final Timings DEFAULTS = new Timings(15, 10_000, 2_000);
  /** The faster timings every library is also measured with. */
  static final Timings FAST = new Timings(6, 4_000, 1_000);
  /** Timings for 1,000 elections that keep the local API server honest (100 writes a second). */
  static final Timings THOUSAND = new Timings(60, 40_000, 10_000);

  /** One footprint row: this many elections with these timings, watched for a window. */
  record Scale(int elections, Timings timings, Duration window) {
  }

  /** A footprint row with {@code addedMillis} of latency added to every API server response. */
  record LatencyScale(Scale scale, int addedMillis) {

    /** Every scale at every latency, scale by scale. */
    static List<LatencyScale> rows(List<Scale> scales, List<Integer> latencies) {
      return scales.stream().flatMap(scale -> latencies.stream()
          .map(millis -> new LatencyScale(scale, millis))).toList();
    }
  }

  /** Lease duration, renew deadline and retry period, identical for every library. */
  record Timings(int leaseSeconds, int renewMillis, int retryMillis) {

    String label() {
      return leaseSeconds + "s/" + renewMillis / 1000 + "s/" + retryMillis / 1000 + "s";
    }
  }

  /** The libraries compared on Kubernetes, in the order the report lists them. */
  static List<String> libraries() {
    return List.of("leaderelection", "client-java", "fabric8");
  }

  /** The timings each library is measured with: client-go's defaults, then a faster set. */
  static List<Timings> timings() {
    return List.of(DEFAULTS, FAST);
  }

  /**
   * What to measure: everything, the peers on one backend, this library at scale, or only the
   * starter's startup cost or only the elections at a real cluster's latency (both part of the
   * scale suite). {@code GROUPS}, sharded groups against independent elections, is not part of
   * {@code ALL}: {@code GroupsBenchmarkIT} runs it alone, and only when asked for.
   */
  public enum Suite {
    ALL, KUBERNETES, ETCD, SCALE, STARTUP, LATENCY, GROUPS;

    boolean kubernetes() {
      return this == ALL || this == KUBERNETES;
    }

    boolean etcd() {
      return this == ALL || this == ETCD;
    }

    boolean scale() {
      return this == ALL || this == SCALE;
    }

    boolean startup() {
      return scale() || this == STARTUP;
    }

    boolean latency() {
      return scale() || this == LATENCY;
    }
  }

  private final Mode mode;
  private final Suite suite;
  private final KubernetesBackend kubernetes;
  private final EtcdBackend etcd;
  private final Path startupTarget;
  private int elections;

  /** {@code startupTarget}: the target directory of {@code leaderelection-benchmarks-startup}. */
  BenchmarkRunner(Mode mode, Suite suite, KubernetesBackend kubernetes, EtcdBackend etcd,
      Path startupTarget) {
    this.mode = mode;
    this.suite = suite;
    this.kubernetes = kubernetes;
    this.etcd = etcd;
    this.startupTarget = startupTarget;
  }

  /** Measures everything and returns the results, in report order. */
  Results run() throws Exception {
    Results results = new Results(mode, suite);
    if (suite.kubernetes()) {
      measure(kubernetes, results);
    }
    if (suite.etcd()) {
      measure(etcd, results);
    }
    if (suite.scale()) {
      new ScaleRunner(mode, kubernetes, startupTarget).run(results);
    } else if (suite.startup()) {
      new ScaleRunner(mode, kubernetes, startupTarget).startup(results);
    } else if (suite.latency()) {
      new ScaleRunner(mode, kubernetes, startupTarget).latencies(results);
    }
    return results;
  }

  /** Failover and handover trials of every library of {@code backend}, then its traffic. */
  private void measure(Backend backend, Results results) throws Exception {
    for (Timings timings : mode.trialTimings()) {
      for (String library : backend.libraries()) {
        for (int trial = 0; trial < mode.trials; trial++) {
          trial(backend, library, timings, results);
        }
      }
    }
    for (String library : backend.libraries()) {
      results.traffic.put(library, traffic(backend, library, DEFAULTS));
    }
  }

  /** Three candidates: SIGKILL the leader, then SIGTERM the next one; time each takeover. */
  private void trial(Backend backend, String library, Timings timings, Results results)
      throws Exception {
    String election = "lease-" + (++elections);
    List<CandidateProcess> candidates = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        candidates.add(CandidateProcess.start(library + "-" + i,
            backend.command(library, election, library + "-" + i, timings)));
      }
      Duration patience = Duration.ofSeconds(timings.leaseSeconds() * 3L + 30);
      CandidateProcess first = awaitLeader(candidates, 0, patience);
      first.kill();
      long crashed = System.nanoTime();
      CandidateProcess second = takeOver(candidates, first, crashed, patience,
          results.crash(library, timings), library + " " + timings.label() + " crash failover");
      second.terminate();
      long terminated = System.nanoTime();
      takeOver(candidates, second, terminated, patience, results.handover(library, timings),
          library + " " + timings.label() + " handover");
      second.destroy();
    } finally {
      candidates.forEach(CandidateProcess::destroy);
    }
  }

  /**
   * Waits for another candidate to lead after {@code leaving} was signalled at
   * {@code signalledNanos}, and records how long that took.
   */
  private static CandidateProcess takeOver(List<CandidateProcess> candidates,
      CandidateProcess leaving, long signalledNanos, Duration patience,
      Distribution distribution, String label) throws InterruptedException {
    candidates.remove(leaving);
    CandidateProcess next = awaitLeader(candidates, signalledNanos, patience);
    double millis = (next.leadingSinceNanos() - signalledNanos) / 1e6;
    distribution.add(millis);
    progress("%s %.0f ms", label, millis);
    return next;
  }

  /**
   * Requests per minute at steady state: the leader alone, then each of two followers. In quick
   * mode the window is too short for a figure, and the rates say so ({@link RequestRate}).
   */
  private Traffic traffic(Backend backend, String library, Timings timings) throws Exception {
    RequestRate baseline = perMinute(backend);
    String election = "traffic-" + (++elections);
    List<CandidateProcess> candidates = new ArrayList<>();
    try {
      candidates.add(CandidateProcess.start(library + "-0",
          backend.command(library, election, library + "-0", timings)));
      awaitLeader(candidates, 0, Duration.ofSeconds(60));
      RequestRate leader = perMinute(backend).minus(baseline);
      for (int i = 1; i <= 2; i++) {
        candidates.add(CandidateProcess.start(library + "-" + i,
            backend.command(library, election, library + "-" + i, timings)));
      }
      TimeUnit.SECONDS.sleep(10);
      RequestRate all = perMinute(backend).minus(baseline);
      progress("%s requests per minute: leader %s, leader and two followers %s", library,
          leader.text(), all.text());
      return new Traffic(leader, all.minus(leader).dividedBy(2));
    } finally {
      candidates.forEach(CandidateProcess::destroy);
    }
  }

  private RequestRate perMinute(Backend backend) throws InterruptedException {
    double before = backend.requests();
    long start = System.nanoTime();
    TimeUnit.NANOSECONDS.sleep(mode.trafficWindow.toNanos());
    double after = backend.requests();
    return RequestRate.of(after - before, Duration.ofNanos(System.nanoTime() - start));
  }

  private static void progress(String format, Object... values) {
    System.out.printf("benchmark: " + format + "%n", values);
  }

  private static CandidateProcess awaitLeader(List<CandidateProcess> candidates, long after,
      Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      for (CandidateProcess candidate : candidates) {
        if (candidate.leadingSinceNanos() > after) {
          return candidate;
        }
      }
      TimeUnit.MILLISECONDS.sleep(2);
    }
    throw new IllegalStateException("no candidate of " + candidates.stream()
        .map(CandidateProcess::identity).toList() + " led within " + patience);
  }

  private static String ownClasspath() {
    return System.getProperty("java.class.path");
  }

  /** Steady-state lease requests per minute of one candidate in each role. */
  record Traffic(RequestRate leader, RequestRate follower) {

    /** A leader and two followers together. */
    RequestRate total() {
      return leader.plus(follower).plus(follower);
    }
  }

  /** Everything measured in one run. */
  static final class Results {

    final Mode mode;
    final Suite suite;
    final Map<String, Distribution> crash = new LinkedHashMap<>();
    final Map<String, Distribution> handover = new LinkedHashMap<>();
    final Map<String, Traffic> traffic = new LinkedHashMap<>();
    final List<Footprint.Result> footprints = new ArrayList<>();
    final List<LatencyReport.Row> latencies = new ArrayList<>();
    Optional<ScaleRunner.Fleet> fleet = Optional.empty();
    Optional<StartupTimes> startup = Optional.empty();
    Optional<OnLeaderOverhead> onLeader = Optional.empty();

    Results(Mode mode, Suite suite) {
      this.mode = mode;
      this.suite = suite;
    }

    static String key(String library, Timings timings) {
      return library + " " + timings.label();
    }

    Distribution crash(String library, Timings timings) {
      return crash.computeIfAbsent(key(library, timings), key -> new Distribution());
    }

    Distribution handover(String library, Timings timings) {
      return handover.computeIfAbsent(key(library, timings), key -> new Distribution());
    }
  }
}
