package dev.leaderelection.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redraws the chart from the {@code benchmark:} progress lines of a run's output, for a run
 * whose chart could not be drawn. Arguments: the output file, the PNG to write.
 */
public final class ChartFromLog {

  private static final Pattern TRIAL = Pattern.compile(
      "benchmark: (\\S+) (\\S+) (crash failover|handover) (\\d+) ms");

  private ChartFromLog() {
  }

  public static void main(String[] args) throws Exception {
    BenchmarkRunner.Results results = new BenchmarkRunner.Results(BenchmarkRunner.Mode.FULL,
        BenchmarkRunner.Suite.KUBERNETES);
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      Matcher trial = TRIAL.matcher(line);
      if (trial.find()) {
        BenchmarkRunner.Timings timings = BenchmarkRunner.timings().stream()
            .filter(candidate -> candidate.label().equals(trial.group(2))).findFirst()
            .orElseThrow();
        Distribution distribution = trial.group(3).startsWith("crash")
            ? results.crash(trial.group(1), timings) : results.handover(trial.group(1), timings);
        distribution.add(Double.parseDouble(trial.group(4)));
      }
    }
    Report.writeChart(results, Path.of(args[1]));
  }
}
