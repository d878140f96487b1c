package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leaderelection.LeaseTimings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real faults at real processes on a real API server, checked over the whole history. Quick mode
 * (the default, in {@code ./mvnw verify}) throws at least 200 faults of every kind at five
 * candidates of this library and fails on any overlap, stale action or missed recovery; it asserts
 * safety, never a timing. {@code -Dchaos.mode=full} throws 10,000; {@code -Dchaos.peers=true}
 * runs the same schedule on client-java's and fabric8's electors too (reported, not asserted) and
 * writes the comparison.
 */
class ChaosIT {

  private static final LeaseTimings TIMINGS =
      LeaseTimings.of(Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofSeconds(1));

  private String mode;
  private long seed;

  @BeforeEach
  void needsTheServers() {
    boolean ci = "true".equals(System.getenv("CI"));
    assumeTrue(ci || Binaries.available(), "The chaos harness needs KUBE_LAUNCHER and "
        + "TOXIPROXY_SERVER, or Go to build them; skipped");
    mode = System.getProperty("chaos.mode", "quick").toLowerCase(Locale.ROOT);
    seed = Long.getLong("chaos.seed", 20261202L);
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.HOURS)
  void chaosRunShouldFindNoOverlapNoStaleActionAndEveryRecoveryInTime() throws Exception {
    int faults = Integer.getInteger("chaos.faults", mode.equals("full") ? 10_000 : 200);
    List<Report.Row> rows = new ArrayList<>();
    Report.Row ours = run("leaderelection", faults);
    rows.add(ours);
    if (Boolean.getBoolean("chaos.peers")) {
      int peerFaults = Integer.getInteger("chaos.peerFaults", Math.min(faults, 1_000));
      rows.add(run("fabric8", peerFaults));
    }
    String report = Report.markdown(rows, "./mvnw -pl leaderelection-chaos -am verify "
        + "-Dchaos.mode=" + mode + (Boolean.getBoolean("chaos.peers") ? " -Dchaos.peers=true" : "")
        + " (seed " + seed + ")");
    Report.write(mode.equals("full") ? Path.of(System.getProperty("chaos.docsDir"),
        "reliability.md") : Path.of("target", "chaos", "reliability.md"), report);
    System.out.println(report);

    Checker.Verdict verdict = ours.verdict();
    assertThat(ours.faults()).as("faults injected").isGreaterThanOrEqualTo(faults);
    assertThat(verdict.actions()).as("guarded actions taken").isGreaterThan(100);
    assertThat(verdict.examples()).as("what the checker found").isEmpty();
    assertThat(verdict.safe()).isTrue();
  }

  private Report.Row run(String library, int faults) throws Exception {
    ChaosRunner.Settings settings = new ChaosRunner.Settings(library, 5, TIMINGS, faults, seed,
        Path.of("target", "chaos", library).toAbsolutePath());
    try (ChaosRunner runner = new ChaosRunner(settings)) {
      runner.run();
      Map<String, Integer> counts = runner.faultCounts();
      return new Report.Row(library, counts.values().stream().mapToInt(Integer::intValue).sum(),
          counts, Checker.check(runner.history(), runner.actions()));
    }
  }
}
