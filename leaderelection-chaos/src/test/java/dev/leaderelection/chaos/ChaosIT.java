package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.testing.MarkedSection;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real faults at real processes on a real API server and a real etcd, checked over the whole
 * history. Quick mode (the default, in {@code ./mvnw verify}) throws at least 200 faults of every
 * kind at five candidates of this library on Kubernetes, 200 more on etcd (etcd restarts
 * instead of API-server restarts) and 30 at three candidates on a three-member etcd cluster
 * ({@link EtcdClusterStore}), and fails on any overlap, stale action or missed recovery; it asserts
 * safety, never a timing. {@code -Dchaos.mode=full} runs the documented schedule (seven
 * candidates; 10,000 faults on this library, 1,000 on each peer, 500 on the default timings) and
 * writes
 * {@code docs/reliability.md}. {@code -Dchaos.runs=library@lease/renew/retry:faults,...} picks
 * the runs ({@code none}: only write the report again); each run's figures are kept, so runs made
 * by separate commands share one report.
 */
class ChaosIT {

  private static final Pattern RUN = Pattern.compile(
      "(leaderelection|leaderelection-etcd|leaderelection-etcd-cluster|fabric8|client-java)@(\\d+)s/(\\d+)s/(\\d+)s:(\\d+)");

  private String mode;
  private long seed;

  /** One run of the schedule: whose elector, on which timings, how many faults. */
  private record Run(String library, LeaseTimings timings, String label, int faults) {

    static Run parse(String text) {
      Matcher matcher = RUN.matcher(text.trim());
      if (!matcher.matches()) {
        throw new IllegalArgumentException("chaos.runs entry '" + text + "' must look like "
            + "leaderelection@6s/4s/1s:200 (library: leaderelection, leaderelection-etcd, "
            + "leaderelection-etcd-cluster, fabric8 or client-java)");
      }
      LeaseTimings timings = LeaseTimings.of(seconds(matcher.group(2)),
          seconds(matcher.group(3)), seconds(matcher.group(4)));
      return new Run(matcher.group(1), timings, matcher.group(2) + "s/" + matcher.group(3)
          + "s/" + matcher.group(4) + "s", Integer.parseInt(matcher.group(5)));
    }

    private static Duration seconds(String text) {
      return Duration.ofSeconds(Long.parseLong(text));
    }
  }

  @BeforeEach
  void needsTheServers() {
    boolean ci = "true".equals(System.getenv("CI"));
    assumeTrue(ci || Binaries.available(), "The chaos harness needs KUBE_LAUNCHER, "
        + "ETCD_LAUNCHER and TOXIPROXY_SERVER, or Go to build them; skipped");
    mode = System.getProperty("chaos.mode", "quick").toLowerCase(Locale.ROOT);
    seed = Long.getLong("chaos.seed", 20261202L);
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.HOURS)
  void chaosRunShouldFindNoOverlapNoStaleActionAndEveryRecoveryInTime() throws Exception {
    String faults = System.getProperty("chaos.faults", "");
    String perRun = faults.isBlank() ? "200" : faults;
    String quickRuns = "leaderelection@6s/4s/1s:" + perRun + ",leaderelection-etcd@6s/4s/1s:"
        + perRun + ",leaderelection-etcd-cluster@6s/4s/1s:" + (faults.isBlank() ? "30" : faults);
    String runs = System.getProperty("chaos.runs", "");
    if (runs.isBlank()) {
      runs = mode.equals("full") ? "leaderelection@6s/4s/1s:10000,leaderelection@15s/10s/2s:500,"
          + "fabric8@6s/4s/1s:1000,client-java@6s/4s/1s:1000" : quickRuns;
    }
    Path folder = Path.of("target", "chaos").toAbsolutePath();
    Path results = folder.resolve("results-" + mode);
    List<Result> ours = new ArrayList<>();
    List<String> entries = runs.equals("none") ? List.of() : Arrays.asList(runs.split(","));
    for (Run run : entries.stream().map(Run::parse).toList()) {
      Result result = run(run, folder);
      if (run.library().startsWith("leaderelection")) {
        ours.add(result);
      }
    }
    Path docs = mode.equals("full") ? Path.of(System.getProperty("chaos.docsDir")) : folder;
    String command = "./mvnw install -DskipTests && ./mvnw -pl "
        + "leaderelection-chaos verify -Dchaos.mode=" + mode + " (seed " + seed + ")";
    String peerVersions = System.getProperty("chaos.peerVersions", "of unknown versions");
    // The etcd cluster's runs have a section of their own, written only by commands that run
    // one (or by none), so a cluster run never rewrites the other runs' table and vice versa.
    if (entries.isEmpty() || entries.stream().anyMatch(entry -> !onCluster(entry))) {
      List<Result> all = Result.loadAll(results);
      Report.writeChart(all, docs.resolve("reliability.png"));
      String report = Report.markdown(all, command, peerVersions, "reliability.png");
      Report.write(docs.resolve("reliability.md"), report);
      System.out.println(report);
    }
    if (entries.isEmpty() || entries.stream().anyMatch(ChaosIT::onCluster)) {
      List<Result> all = Result.loadAll(clusterResults(folder));
      Report.writeChart(all, docs.resolve("reliability-etcd-cluster.png"));
      String report = EtcdClusterStore.describe(Report.markdown(all, command, peerVersions,
          "reliability-etcd-cluster.png"));
      new MarkedSection(docs.resolve("reliability.md"), "chaos-etcd-cluster").write(report);
      System.out.println(report);
    }

    for (Result result : ours) {
      assertThat(result.actions()).as("guarded actions taken").isGreaterThan(100);
      assertThat(result.examples()).as("what the checker found").isEmpty();
      assertThat(result.safe()).isTrue();
    }
  }

  private Result run(Run run, Path folder) throws Exception {
    boolean onCluster = run.library().equals(ChaosRunner.ON_ETCD_CLUSTER);
    // On the etcd cluster the faults hit its members: three candidates (five in full mode) do.
    int candidates = Integer.getInteger("chaos.candidates",
        mode.equals("full") ? onCluster ? 5 : 7 : onCluster ? 3 : 5);
    ChaosRunner.Settings settings = new ChaosRunner.Settings(run.library(),
        classpath(run.library()), candidates, run.timings(),
        onCluster ? EtcdClusterStore.schedule(mode) : FaultSchedule.of(mode).on(run.library()),
        run.faults(), seed, folder.resolve(run.library()));
    try (ChaosRunner runner = new ChaosRunner(settings)) {
      Exception stopped = null;
      try {
        runner.run();
      } catch (Exception e) {
        stopped = e;
      }
      // The history so far is checked and kept even when the run stopped early: a long run's
      // figures are not lost to one failure, and the count of faults shows it fell short.
      Result result = Result.of(run.library(), run.label(), candidates, runner.faultCounts(),
          runner.history().endReasons(),
          Checker.check(runner.history(), runner.actions()));
      result.save(onCluster ? clusterResults(folder) : folder.resolve("results-" + mode));
      if (stopped != null) {
        throw stopped;
      }
      assertThat(result.faults()).as("faults injected").isGreaterThanOrEqualTo(run.faults());
      return result;
    }
  }

  private static boolean onCluster(String entry) {
    return entry.trim().startsWith(ChaosRunner.ON_ETCD_CLUSTER + "@");
  }

  private Path clusterResults(Path folder) {
    return folder.resolve("results-" + mode + "-etcd-cluster");
  }

  /**
   * The candidates' classpath: this one, or for client-java this module's classes and
   * client-java 25's own classpath (it conflicts with the client-java 27 the library uses).
   */
  static String classpath(String library) throws Exception {
    if (!library.equals("client-java")) {
      return System.getProperty("java.class.path");
    }
    Path clientJava = Path.of(System.getProperty("chaos.clientJavaDir"));
    Path ownClasses = Path.of(ChaosCandidate.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    return ownClasses + File.pathSeparator
        + Files.readString(clientJava.resolve("classpath.txt")).trim();
  }
}
