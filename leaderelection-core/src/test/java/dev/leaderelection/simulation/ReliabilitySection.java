package dev.leaderelection.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The simulation's section of {@code docs/reliability.md}, between
 * {@value #BEGIN} and {@value #END}: replaced when present, appended otherwise; the rest of the
 * file is kept as it is.
 */
final class ReliabilitySection {

  static final String BEGIN = "<!-- simulation:begin -->";
  static final String END = "<!-- simulation:end -->";

  private final Path file;

  ReliabilitySection(Path file) {
    this.file = file;
  }

  void write(SimulationRunner.Report report, long baseSeed, Duration wall) {
    String section = BEGIN + "\n## Deterministic simulation\n\n"
        + "Written by `./mvnw -pl leaderelection-core test -Dtest=ElectionSimulationTest "
        + "-Dsurefire.failIfNoSpecifiedTests=false -Dsimulation.mode=long` (base seed " + baseSeed
        + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
        + System.getProperty("java.version") + ").\n\n"
        + "| schedules | simulated hours | events | terms | violating schedules | wall time |\n"
        + "|---|---|---|---|---|---|\n"
        + String.format("| %d | %.1f | %d | %d | %d | %d s |%n", report.schedules(),
            report.simulatedNanos() / 3.6e12, report.events(), report.terms(), report.failed(),
            wall.toSeconds())
        + (report.violations().isEmpty() ? "" : "\nFirst violations (replay with "
            + "`-Dsimulation.seed=<seed>`):\n\n" + firstViolations(report))
        + END;
    try {
      String text = Files.exists(file) ? Files.readString(file) : "";
      int begin = text.indexOf(BEGIN);
      int end = text.indexOf(END);
      String updated = begin >= 0 && end > begin
          ? text.substring(0, begin) + section + text.substring(end + END.length())
          : text + (text.endsWith("\n") || text.isEmpty() ? "\n" : "\n\n") + section + "\n";
      Files.writeString(file, updated);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstViolations(SimulationRunner.Report report) {
    StringBuilder text = new StringBuilder();
    for (SimulationRunner.Found found : report.violations()) {
      text.append("- schedule ").append(found.index()).append(", seed ")
          .append(found.outcome().scenario().seed()).append(": ")
          .append(found.outcome().violation().getMessage()).append("\n");
    }
    return text.toString();
  }
}
