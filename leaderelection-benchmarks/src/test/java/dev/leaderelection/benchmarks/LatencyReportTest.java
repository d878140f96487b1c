package dev.leaderelection.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.benchmarks.BenchmarkRunner.Mode;
import dev.leaderelection.benchmarks.BenchmarkRunner.Results;
import dev.leaderelection.benchmarks.BenchmarkRunner.Suite;
import org.junit.jupiter.api.Test;

class LatencyReportTest {

  private static final String SECTION = """
      <!-- scale:start -->
      ## This library at scale

      ### Elections in one JVM

      footprint rows

      <!-- latency:start -->
      the old latency rows
      <!-- latency:end -->

      ### Goals at scale

      | goal | result |
      |---|---|
      | heap ≤ 20 KiB per election at 1,000 | met |
      | 1,000 elections keep their terms at 100 ms of added latency | **missed**: 7 missed |
      | non-blocking lock calls | met |
      <!-- scale:end -->
      """;

  @Test
  void latencySuiteShouldReplaceOnlyItsRowsAndItsGoal() {
    String written = LatencyReport.withLatencies(SECTION, results(0, 0), "the command");

    assertThat(written).contains("footprint rows", "| heap ≤ 20 KiB", "| non-blocking lock calls",
            "Written by `the command`", "| 1,000 | 60s/40s/10s | 100 ms | 1000 | 16 | 105.0 / 180.0 ms |",
            "| 1,000 elections keep their terms at 100 ms of added latency | met: 0 missed "
                + "renewals, 0 terms lost, 1000 of 1,000 leading")
        .doesNotContain("the old latency rows", "7 missed")
        .endsWith("<!-- scale:end -->\n");
    assertThat(written.indexOf("| 1,000 elections keep")).isBetween(written.indexOf("| heap"),
        written.indexOf("| non-blocking"));
  }

  @Test
  void latencySuiteShouldAddItsRowsAndGoalBeforeTheGoalsWhenThereAreNone() {
    String section = SECTION.replace("<!-- latency:start -->\nthe old latency rows\n"
        + "<!-- latency:end -->\n", "").replace("| 1,000 elections keep their terms at 100 ms "
        + "of added latency | **missed**: 7 missed |\n", "");

    String written = LatencyReport.withLatencies(section, results(3, 1), "the command");

    assertThat(written.indexOf(LatencyReport.START)).isBetween(written.indexOf("footprint rows"),
        written.indexOf("### Goals at scale"));
    assertThat(written).contains("|---|---|\n| 1,000 elections keep their terms at 100 ms of "
        + "added latency | **missed**: 3 missed renewals, 1 terms lost");
  }

  @Test
  void goalShouldNotBeJudgedWithoutItsRow() {
    Results results = new Results(Mode.QUICK, Suite.SCALE);
    results.latencies.add(new LatencyReport.Row(50, footprint(10, 0, 0)));
    StringBuilder out = new StringBuilder();

    LatencyReport.goal(out, results.latencies);

    assertThat(out.toString()).startsWith("| 1,000 elections keep their terms at 100 ms of added "
        + "latency | not measured in this mode: 0 missed renewals").contains("10 elections")
        .doesNotContain("met:", "**missed**");
  }

  private static Results results(long missed, long lost) {
    Results results = new Results(Mode.FULL, Suite.LATENCY);
    results.latencies.add(new LatencyReport.Row(100, footprint(1000, missed, lost)));
    return results;
  }

  private static Footprint.Result footprint(int elections, long missed, long lost) {
    BenchmarkRunner.Timings timings = elections >= 1000 ? BenchmarkRunner.THOUSAND
        : BenchmarkRunner.DEFAULTS;
    return new Footprint.Result(elections, timings, elections, 16, 4, 1 << 20, elections * 4096L,
        elections * 12L, 105, 180, 6, missed, elections * 12L, lost, 0, elections * 6.0, 2);
  }
}
