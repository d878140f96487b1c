package dev.leaderelection.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.benchmarks.BenchmarkRunner.Mode;
import dev.leaderelection.benchmarks.BenchmarkRunner.Results;
import dev.leaderelection.benchmarks.BenchmarkRunner.Suite;
import dev.leaderelection.benchmarks.StartupTimes.Start;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScaleReportTest {

  private static final String SECTION = """
      <!-- scale:start -->
      ## This library at scale

      ### Elections in one JVM

      footprint rows

      ### Startup

      the old startup table

      ### `@OnLeader` call (JMH, average time, one run)

      call rows

      ### Goals at scale

      | goal | result |
      |---|---|
      | heap ≤ 20 KiB per election at 1,000 | met |
      | startup: ≤ 30 ms added with the in-memory lock | **missed**: 208 ms added |
      | startup: nothing blocks on the API server before ready | met: 0 requests |
      | non-blocking lock calls | met |
      <!-- scale:end -->
      """;

  @Test
  void startupSuiteShouldReplaceOnlyTheStartupSubsectionAndGoals() {
    String written = ScaleReport.withStartup(SECTION, results(), "the command");

    assertThat(written).contains("footprint rows", "call rows", "| heap ≤ 20 KiB",
            "| non-blocking lock calls | met |", "Written by `the command` (mode full)",
            "| with the starter, in-memory lock | yes | 1040 ms | 40 ms (40 to 40) | 740 ms "
                + "| 40 ms | 5000 |",
            "| startup: ≤ 50 ms added with the in-memory lock, to an application that uses "
                + "Spring AOP | met: 40 ms added")
        .doesNotContain("the old startup table", "≤ 30 ms", "208 ms");
    assertThat(written.indexOf("### Startup")).isBetween(written.indexOf("footprint rows"),
        written.indexOf("call rows"));
    assertThat(written.indexOf("| startup: ≤ 50 ms")).isBetween(written.indexOf("| heap"),
        written.indexOf("| non-blocking"));
    assertThat(written).endsWith("<!-- scale:end -->\n");
  }

  @Test
  void startupSuiteShouldWriteAScaleSectionWhenThereIsNone() {
    String written = ScaleReport.withStartup("", results(), "the command");

    assertThat(written).startsWith(Report.SCALE_START).endsWith(Report.SCALE_END + "\n")
        .contains("### Startup", "### Goals at scale\n\n| goal | result |\n|---|---|\n"
            + "| startup: ≤ 50 ms");
  }

  /** Every variant started once: the baselines in 1000 ms, the starter's 40 ms later. */
  private static Results results() {
    Map<String, List<Start>> starts = new LinkedHashMap<>();
    StartupTimes.variants().forEach(variant -> starts.put(variant, List.of(
        variant.startsWith("baseline") ? new Start(1000, 700, 4600, 0)
            : new Start(1040, 740, 5000, 0))));
    Results results = new Results(Mode.FULL, Suite.STARTUP);
    results.startup = Optional.of(new StartupTimes(1, starts, "1.00 at the start"));
    return results;
  }
}
