package dev.leaderelection.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a chaos run's figures as the table docs/reliability.md shows. */
final class Report {

  private Report() {
  }

  /** One library's line of the table. */
  record Row(String library, int faults, Map<String, Integer> faultCounts,
      Checker.Verdict verdict) {
  }

  static String markdown(List<Row> rows, String command) {
    StringBuilder out = new StringBuilder("# Reliability under real faults\n\n")
        .append("Written by `").append(command).append("`.\n\n")
        .append("| library | faults | overlaps | stale actions performed / accepted | missed "
            + "recoveries | longest time without a leader | paused-leader lag p50 / max | "
            + "takeover after a crash p50 / p95 (from SIGKILL) | from the last renew p50 / min |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (Row row : rows) {
      Checker.Verdict verdict = row.verdict();
      out.append("| ").append(row.library())
          .append(" | ").append(row.faults())
          .append(" | ").append(verdict.overlaps())
          .append(" | ").append(verdict.staleActionsPerformed()).append(" / ")
          .append(verdict.staleActionsAccepted())
          .append(" | ").append(verdict.missedRecoveries()).append(" of ")
          .append(verdict.recoveries())
          .append(" | ").append(Checker.ms(verdict.longestLeaderlessNanos()))
          .append(" | ").append(millis(verdict.pausedLagNanos(), 50)).append(" / ")
          .append(millis(verdict.pausedLagNanos(), 100))
          .append(" | ").append(millis(verdict.takeoverFromSignalNanos(), 50)).append(" / ")
          .append(millis(verdict.takeoverFromSignalNanos(), 95))
          .append(" | ").append(millis(verdict.takeoverFromLastRenewNanos(), 50)).append(" / ")
          .append(minMillis(verdict.takeoverFromLastRenewNanos()))
          .append(" |\n");
    }
    out.append("\nFaults injected, by kind:\n\n");
    for (Row row : rows) {
      out.append("- ").append(row.library()).append(": ").append(row.faultCounts())
          .append('\n');
    }
    for (Row row : rows) {
      for (String example : row.verdict().examples()) {
        out.append("\n").append(row.library()).append(": ").append(example).append('\n');
      }
    }
    return out.toString();
  }

  static void write(Path file, String markdown) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, markdown);
  }

  private static String millis(List<Long> values, double percentile) {
    return values.isEmpty() ? "–" : Checker.percentile(values, percentile) + " ms";
  }

  private static String minMillis(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).min()
        .stream().mapToObj(min -> min / 1_000_000 + " ms").findFirst().orElse("–");
  }
}
