package dev.leaderelection.simulation;

import dev.leaderelection.testing.MarkedSection;
import java.nio.file.Path;
import java.time.Duration;

/** The simulation's section of {@code docs/reliability.md} ({@link MarkedSection}). */
final class ReliabilitySection {

  private final Path file;

  ReliabilitySection(Path file) {
    this.file = file;
  }

  void write(SimulationRunner.Report report, long baseSeed, Duration wall) {
    new MarkedSection(file, "simulation").write("## Deterministic simulation\n\n"
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
            + "`-Dsimulation.seed=<seed>`):\n\n" + firstViolations(report)));
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
