package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import dev.leaderelection.testing.MarkedSection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The application's own traffic on the client its elector uses (issue 30, section 1): one
 * candidate JVM leads a Lease on a real API server through a Toxiproxy proxy that adds latency to
 * every answer, and once it leads, the application in the same JVM keeps {@code calls} requests
 * in flight on the elector's own client (each answered one is sent again at once) and
 * {@code watches} watches open. The harness watches the Lease directly (unproxied) and counts
 * the renewals it sees, the retry periods without one, and the terms the candidate began and
 * lost. It asserts terms (this library's leader keeps its one term), never a timing; the figures
 * are printed.
 *
 * <p>Quick mode (the default, in {@code ./mvnw verify}): this library alone, a 15 s window.
 * {@code -Dtraffic.mode=full}: this library, client-java's and fabric8's electors, a 60 s window
 * each, written to the traffic section of {@code docs/reliability.md}.
 * {@code -Dtraffic.libraries=leaderelection,fabric8}, {@code -Dtraffic.load=100x20},
 * {@code -Dtraffic.latencyMillis=200} and {@code -Dtraffic.windowSeconds=15} change a run.
 */
class ApplicationTrafficIT {

  private static final String NAMESPACE = "traffic";
  private static final LeaseTimings TIMINGS = LeaseTimings.of(Duration.ofSeconds(4),
      Duration.ofSeconds(3), Duration.ofSeconds(1));

  private static KubernetesStore store;
  private static NetworkFaults network;
  private static FencedResource resource;

  /** What one library's leader went through under the traffic. */
  record Figures(String library, ApplicationTraffic.Load load, Duration latency, Duration window,
      int renewals, int missed, long longestGapMillis, int termsBegun, int termsLost,
      Map<String, Integer> endReasons, String traffic) {

    String row() {
      String[] counts = traffic.isEmpty() ? new String[] {"0", "0"} : traffic.split(" ");
      return "| " + library + " | " + load.calls() + " requests in flight, " + load.watches()
          + " watches | " + latency.toMillis() + " ms | " + window.toSeconds() + " s | "
          + renewals + " | " + missed + " | " + longestGapMillis + " ms | " + termsBegun + " | "
          + termsLost + (endReasons.isEmpty() ? "" : " " + endReasons) + " | " + counts[0]
          + " answered, " + counts[1] + " failed |";
    }
  }

  @BeforeAll
  static void startServers() throws Exception {
    assumeTrue("true".equals(System.getenv("CI")) || Binaries.available(),
        "needs KUBE_LAUNCHER, ETCD_LAUNCHER and TOXIPROXY_SERVER, or Go to build them; skipped");
    Path work = Path.of("target", "application-traffic-" + System.currentTimeMillis());
    store = KubernetesStore.start(work, NAMESPACE);
    network = NetworkFaults.start(Binaries.toxiproxy(), work.resolve("toxiproxy.log"));
    resource = new FencedResource();
  }

  @AfterAll
  static void stopServers() {
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

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void leaderShouldKeepItsTermWhileTheApplicationFloodsItsClient() throws Exception {
    String mode = System.getProperty("traffic.mode", "quick").toLowerCase(Locale.ROOT);
    boolean full = mode.equals("full");
    List<String> libraries = Arrays.asList(System.getProperty("traffic.libraries",
        full ? "leaderelection,client-java,fabric8" : "leaderelection").split(","));
    ApplicationTraffic.Load load = ApplicationTraffic.Load.parse(
        System.getProperty("traffic.load", "100x20"));
    Duration latency = Duration.ofMillis(Long.getLong("traffic.latencyMillis", 200));
    Duration window = Duration.ofSeconds(Long.getLong("traffic.windowSeconds", full ? 60 : 15));

    List<Figures> all = new ArrayList<>();
    for (String library : libraries) {
      Figures figures = run(library.trim(), load, latency, window);
      System.out.println("application traffic: " + figures);
      all.add(figures);
    }
    String report = report(all, mode);
    System.out.println(report);
    if (full) {
      new MarkedSection(Path.of(System.getProperty("chaos.docsDir")).resolve("reliability.md"),
          "traffic").write(report);
    }

    for (Figures figures : all) {
      if (figures.library().equals("leaderelection")) {
        assertThat(figures.termsBegun()).as("terms begun by this library's leader")
            .isEqualTo(1);
        assertThat(figures.termsLost()).as("terms this library's leader lost").isZero();
        assertThat(figures.renewals()).as("renewals seen").isPositive();
      }
    }
  }

  private Figures run(String library, ApplicationTraffic.Load load, Duration latency,
      Duration window) throws Exception {
    String lease = "traffic-" + library;
    int port = network.proxy(lease, store.port());
    network.latency(lease, latency);
    String identity = library + "-leader";
    List<long[]> renewals = new CopyOnWriteArrayList<>(); // {seen nanos}
    LeaseLock observed = store.adminLock(lease);
    AutoCloseable watch = observed.watch(new RecordWatcher() {
      @Override
      public void changed(Optional<LeaderRecord> record) {
        if (record.isPresent() && identity.equals(record.get().holderIdentity())) {
          renewals.add(new long[] {System.nanoTime()});
        }
      }

      @Override
      public void broken(LeaseLockException cause) {
        // reconnects by itself
      }
    }).orElseThrow();
    History history = new History();
    List<String> arguments = List.of("-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", ChaosIT.classpath(library), ChaosCandidate.class.getName(), library,
        store.serverFor(port), NAMESPACE, lease, identity,
        Long.toString(TIMINGS.leaseDuration().toMillis()),
        Long.toString(TIMINGS.renewDeadline().toMillis()),
        Long.toString(TIMINGS.retryPeriod().toMillis()), resource.uri().toString(), "0",
        load.toString());
    Candidate candidate = Candidate.start(identity, arguments, Map.of(), history);
    try {
      assertThat(candidate.awaitReady(60)).as("%s started: %s", identity, candidate.describe())
          .isTrue();
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> !history.terms().isEmpty());
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> !candidate.traffic().isEmpty());
      long from = System.nanoTime();
      TimeUnit.NANOSECONDS.sleep(window.toNanos());
      long to = System.nanoTime();
      List<Long> seen = renewals.stream().map(renewal -> renewal[0]).sorted().toList();
      return figures(library, load, latency, window, seen, from, to, history,
          candidate.traffic());
    } finally {
      candidate.terminate();
      watch.close();
    }
  }

  /**
   * The figures of the window {@code [from, to]}: a gap of {@code g} between renewals (or from
   * the last one to the window's end) holds {@code floor(g / retryPeriod) - 1} missed renewals,
   * so a renewal up to one retry period late counts as on time (client-java's elector waits a
   * retry period after each answer, so its renewals come a retry period plus a round trip apart).
   */
  private static Figures figures(String library, ApplicationTraffic.Load load,
      Duration latency, Duration window, List<Long> seen, long from, long to, History history,
      String traffic) {
    long retry = TIMINGS.retryPeriod().toNanos();
    long previous = seen.stream().filter(nanos -> nanos <= from).reduce((a, b) -> b)
        .orElse(from);
    List<Long> inWindow = seen.stream().filter(nanos -> nanos > from && nanos <= to).toList();
    int missed = 0;
    long longest = 0;
    List<Long> points = new ArrayList<>(inWindow);
    points.add(to);
    for (long point : points) {
      long gap = point - previous;
      longest = Math.max(longest, gap);
      missed += (int) Math.max(0, gap / retry - 1);
      previous = point;
    }
    Map<String, Integer> ends = history.endReasons();
    return new Figures(library, load, latency, window, inWindow.size(), missed,
        TimeUnit.NANOSECONDS.toMillis(longest), history.terms().size(),
        ends.values().stream().mapToInt(Integer::intValue).sum(), ends, traffic);
  }

  private static String report(List<Figures> all, String mode) {
    StringBuilder report = new StringBuilder();
    report.append("## Under the application's own traffic\n\n")
        .append("Written by `./mvnw -pl leaderelection-chaos -am verify -Dtraffic.mode=")
        .append(mode).append(" -Dit.test=ApplicationTrafficIT -Dtest=None ")
        .append("-Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false`")
        .append(" on ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ").append(System.getProperty("java.version")).append("; the peers ")
        .append("are ").append(System.getProperty("chaos.peerVersions", "of unknown versions"))
        .append(". One candidate leads a Lease (").append(TIMINGS.leaseDuration().toSeconds())
        .append("s/").append(TIMINGS.renewDeadline().toSeconds()).append("s/")
        .append(TIMINGS.retryPeriod().toSeconds()).append("s) through a proxy that delays every ")
        .append("answer; once it leads, the application in the same JVM keeps requests in ")
        .append("flight and watches open on the client the elector uses (client-java's ")
        .append("`ApiClient` through its asynchronous calls, fabric8's `KubernetesClient`). ")
        .append("The harness watches the Lease directly; a retry period without a renewal is a ")
        .append("missed renewal (up to one period late counts as on time).\n\n")
        .append("| library | application traffic | added latency | window | renewals | ")
        .append("missed renewals | longest gap | terms begun | terms lost | application ")
        .append("requests |\n|---|---|---|---|---|---|---|---|---|---|\n");
    all.forEach(figures -> report.append(figures.row()).append('\n'));
    return report.toString();
  }
}
