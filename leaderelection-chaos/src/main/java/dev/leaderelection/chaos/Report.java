package dev.leaderelection.chaos;

import dev.leaderelection.testing.MarkedSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Writes chaos runs' figures as the table and chart that docs/reliability.md shows, in its
 * {@code chaos} section.
 */
final class Report {

  private Report() {
  }

  /**
   * The report of {@code results}, written by {@code command}; {@code peerVersions} names the
   * peers' releases the harness runs (such as {@code fabric8 kubernetes-client 8.0.0}).
   */
  static String markdown(List<Result> results, String command, String peerVersions,
      String chartFile) {
    StringBuilder out = new StringBuilder("## Under real faults\n\n")
        .append("Written by `").append(command).append("` on ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append("; the peers are ")
        .append(peerVersions).append(". Every run kept in the results "
            + "folder is shown; one row again: `-Dchaos.runs=<library>@<lease>/<renew>/<retry>:"
            + "<faults>` (for example `leaderelection@6s/4s/1s:10000`). Times are measured on one "
            + "host's monotonic clock, so they are comparable across the candidate processes."
            + "\n\n")
        .append("| library | timings | faults | overlaps | stale actions performed / accepted "
            + "| token regressions | missed recoveries | longest time without a leader "
            + "| paused-leader lag p50 / max | takeover after a crash p50 / p95 (from SIGKILL) "
            + "| from the last renew min / p50 / p95 |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Result result : results) {
      out.append("| ").append(result.library())
          .append(" | ").append(result.timings())
          .append(" | ").append(result.faults())
          .append(" | ").append(result.overlaps())
          .append(" | ").append(result.staleActionsPerformed()).append(" / ")
          .append(result.staleActionsAccepted())
          .append(" | ").append(result.tokenRegressions())
          .append(" | ").append(result.missedRecoveries()).append(" of ")
          .append(result.recoveries())
          .append(" | ").append(ms(result.longestLeaderless()))
          .append(" | ").append(ms(result.pausedLagP50())).append(" / ")
          .append(ms(result.pausedLagMax()))
          .append(" | ").append(ms(result.takeoverFromSignalP50())).append(" / ")
          .append(ms(result.takeoverFromSignalP95()))
          .append(" | ").append(ms(result.takeoverFromRenewMin())).append(" / ")
          .append(ms(result.takeoverFromRenewP50())).append(" / ")
          .append(ms(result.takeoverFromRenewP95()))
          .append(" |\n");
    }
    out.append("\n![Takeover after a crash and paused-leader lag](").append(chartFile)
        .append(")\n\nFaults injected, by kind; guarded actions taken; leaders killed while "
            + "their term was live; candidates stopped (SIGSTOP); terms begun while the harness "
            + "had paused the elector (`pause()`; design rule 10 allows none); how the "
            + "candidates' terms ended. `yield`, "
            + "`pause-flap` and `slow-stop` use this library's own operations (yield, pause and "
            + "resume, leader work that takes up to the renew deadline to stop) and apply to its "
            + "candidates only: the peers' electors have no such operations, so their runs skip "
            + "them.\n\n");
    for (Result result : results) {
      out.append("- ").append(result.library()).append(' ').append(result.timings())
          .append(", ").append(result.candidates()).append(" candidates: ")
          .append(result.faultCounts()).append("; ").append(result.actions())
          .append(" actions; ").append(result.leaseChanges()).append(" lease changes seen; ")
          .append(result.crashes()).append(" leaders killed, ")
          .append(result.pauses()).append(" candidates stopped, ")
          .append(result.pausedBegins()).append(" terms begun while paused; terms ended by "
              + "reason ").append(result.endReasons()).append('\n');
    }
    for (Result result : results) {
      if (!result.examples().isEmpty()) {
        out.append("\n### What the checker found in ").append(result.library()).append(' ')
            .append(result.timings()).append("\n\n```\n").append(result.examples())
            .append("\n```\n");
      }
    }
    return out.toString();
  }

  /** Crash takeover (from the last renew) and paused-leader lag, one group of bars per run. */
  static void writeChart(List<Result> results, Path file) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(1000).height(420)
        .title("After a crash: takeover from the dead leader's last renew; after SIGCONT: "
            + "paused-leader lag").yAxisTitle("ms").build();
    // Library and lease duration: the whole timings would not fit under a bar group.
    List<String> runs = results.stream()
        .map(r -> r.library() + " " + r.timings().substring(0, r.timings().indexOf('/')))
        .toList();
    chart.addSeries("takeover min", runs, values(results, Result::takeoverFromRenewMin));
    chart.addSeries("takeover p50", runs, values(results, Result::takeoverFromRenewP50));
    chart.addSeries("takeover p95", runs, values(results, Result::takeoverFromRenewP95));
    chart.addSeries("paused-leader lag max", runs, values(results, Result::pausedLagMax));
    Files.createDirectories(file.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static List<Double> values(List<Result> results,
      java.util.function.ToLongFunction<Result> value) {
    List<Double> values = new ArrayList<>();
    for (Result result : results) {
      values.add((double) Math.max(0, value.applyAsLong(result)));
    }
    return values;
  }

  /** Writes the chaos section of {@code file}, keeping the simulator's and others' sections. */
  static void write(Path file, String markdown) {
    new MarkedSection(file, "chaos").write(markdown);
  }

  private static String ms(long millis) {
    return millis < 0 ? "–" : millis + " ms";
  }
}
