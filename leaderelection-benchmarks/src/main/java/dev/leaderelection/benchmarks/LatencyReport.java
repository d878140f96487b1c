package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.BenchmarkRunner.Results;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The scale section's rows at a real cluster's latency: elections renewing through a proxy that
 * delays every API server response, with its goal. A run of the latency suite alone replaces only
 * this part of the scale section.
 */
final class LatencyReport {

  static final String START = "<!-- latency:start -->";
  static final String END = "<!-- latency:end -->";

  /** The goal's row: this many elections at this latency keep every term. */
  static final int GOAL_ELECTIONS = 1000;
  static final int GOAL_MILLIS = 100;

  private LatencyReport() {
  }

  /** One footprint row measured with {@code addedMillis} added to every response. */
  record Row(int addedMillis, Footprint.Result result) {
  }

  /** The part, between its markers; empty when no row was measured. */
  static String part(Results results, String command) {
    if (results.latencies.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(START).append("\n### At a real cluster's latency\n\n");
    out.append("Written by `").append(command).append("`. The footprint rows again, with a "
        + "Toxiproxy between the electors and the API server that delays every response (Lease "
        + "writes and the shared watch alike) by the added latency: production API servers "
        + "answer Lease writes in 10 to 100 ms, not the 2 ms of a local one. Columns as above; "
        + "a renewal's call time includes the added latency and any wait in the queue of the "
        + "locks' HTTP dispatcher, whose threads (each request in flight holds one) are among "
        + "all threads added.\n\n");
    out.append("| elections | timings | added latency | leading | all threads added "
        + "| renewal call p50 / p99 | renewal late p99 | missed renewals | terms lost "
        + "| writes/min (expected) |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row row : results.latencies) {
      Footprint.Result r = row.result();
      out.append(String.format(Locale.ROOT, "| %,d | %s | %d ms | %d | %d | %.1f / %.1f ms "
              + "| %.1f ms | %d | %d | %.0f (%d) |%n", r.elections(), r.timings().label(),
          row.addedMillis(), r.leading(), r.threads(), r.renewP50Millis(), r.renewP99Millis(),
          r.lateP99Millis(),
          r.missedRenewals(), r.lostTerms(), r.writesPerMinute(), ScaleReport.expectedWrites(r)));
    }
    return out.append(END).append('\n').toString();
  }

  /** The goal's row of the goals table. */
  static void goal(StringBuilder out, List<Row> rows) {
    String goal = String.format(Locale.ROOT, "%,d elections keep their terms at %d ms of added "
        + "latency", GOAL_ELECTIONS, GOAL_MILLIS);
    Optional<Row> measured = rows.stream().filter(row -> row.addedMillis() == GOAL_MILLIS
        && row.result().elections() >= GOAL_ELECTIONS).findFirst();
    if (measured.isPresent()) {
      Footprint.Result r = measured.get().result();
      Report.goal(out, goal, r.missedRenewals() == 0 && r.lostTerms() == 0
          && r.leading() == r.elections(), summary(measured.get()));
    } else if (!rows.isEmpty()) {
      out.append("| ").append(goal).append(" | not measured in this mode: ")
          .append(summary(rows.get(rows.size() - 1))).append(" |\n");
    }
  }

  /**
   * {@code text} (a report) with its latency part replaced by that of {@code results}: what a
   * run of the latency suite alone writes. Without a latency part, it goes before the goals.
   */
  static String withLatencies(String text, Results results, String command) {
    String part = part(results, command);
    Optional<String> old = Report.section(text, START, END);
    int goals = text.indexOf("\n### Goals at scale");
    String replaced = old.isPresent() ? text.replace(old.get(), part)
        : goals < 0 ? text + "\n" + part
        : text.substring(0, goals + 1) + part + text.substring(goals);
    StringBuilder row = new StringBuilder();
    goal(row, results.latencies);
    if (row.isEmpty()) {
      return replaced;
    }
    String goalRow = row.toString().strip();
    String prefix = goalRow.substring(0, goalRow.indexOf(" | ") + 3);
    List<String> lines = new ArrayList<>(replaced.lines().toList());
    int table = lines.indexOf("### Goals at scale");
    int existing = -1;
    for (int i = 0; i < lines.size(); i++) {
      existing = lines.get(i).startsWith(prefix) ? i : existing;
    }
    if (existing >= 0) {
      lines.set(existing, goalRow);
    } else if (table >= 0) {
      lines.add(table + 4, goalRow); // after the heading, a blank line, the header, the rule
    }
    return String.join("\n", lines) + (replaced.endsWith("\n") ? "\n" : "");
  }

  private static String summary(Row row) {
    Footprint.Result r = row.result();
    return String.format(Locale.ROOT, "%d missed renewals, %d terms lost, %d of %,d leading, "
            + "renewal late p99 %.1f ms, call p99 %.1f ms (%,d elections, %s, %d ms added)",
        r.missedRenewals(), r.lostTerms(), r.leading(), r.elections(), r.lateP99Millis(),
        r.renewP99Millis(), r.elections(), r.timings().label(), row.addedMillis());
  }
}
