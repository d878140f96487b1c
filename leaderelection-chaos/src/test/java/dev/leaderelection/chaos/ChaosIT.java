package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leaderelection.LeaseTimings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real faults at real processes on a real API server, checked over the whole history. Quick mode
 * (the default, in {@code ./mvnw verify}) throws at least 200 faults of every kind at five
 * candidates of this library and fails on any overlap, stale action or missed recovery; it asserts
 * safety, never a timing.
 */
class ChaosIT {

  private static final LeaseTimings TIMINGS =
      LeaseTimings.of(Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofSeconds(1));

  @Test
  @Timeout(value = 4, unit = TimeUnit.HOURS)
  void quickChaosRunShouldFindNoOverlapNoStaleActionAndEveryRecoveryInTime() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    assumeTrue(ci || Binaries.available(), "The chaos harness needs KUBE_LAUNCHER and "
        + "TOXIPROXY_SERVER, or Go to build them; skipped");
    String mode = System.getProperty("chaos.mode", "quick").toLowerCase(Locale.ROOT);
    int faults = Integer.getInteger("chaos.faults", mode.equals("full") ? 10_000 : 200);
    long seed = Long.getLong("chaos.seed", 20261202L);
    ChaosRunner.Settings settings = new ChaosRunner.Settings(5, TIMINGS, faults, seed,
        Path.of("target", "chaos").toAbsolutePath());
    Checker.Verdict verdict;
    Map<String, Integer> counts;
    try (ChaosRunner runner = new ChaosRunner(settings)) {
      runner.run();
      verdict = Checker.check(runner.history(), runner.actions());
      counts = runner.faultCounts();
    }
    String report = Report.markdown(List.of(new Report.Row("leaderelection",
        counts.values().stream().mapToInt(Integer::intValue).sum(), counts, verdict)),
        "./mvnw -pl leaderelection-chaos -am verify -Dchaos.mode=" + mode);
    Report.write(mode.equals("full") ? Path.of(System.getProperty("chaos.docsDir"),
        "reliability.md") : Path.of("target", "chaos", "reliability.md"), report);
    System.out.println(report);

    assertThat(verdict.actions()).as("guarded actions taken").isGreaterThan(100);
    assertThat(verdict.examples()).as("what the checker found").isEmpty();
    assertThat(verdict.safe()).isTrue();
  }
}
