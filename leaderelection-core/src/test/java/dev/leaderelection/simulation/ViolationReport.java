package dev.leaderelection.simulation;

import java.util.List;

/**
 * The text that makes a violation debuggable: schedule index and seed, the command that replays
 * it, the scenario, the last events before it, and the shrunk schedule with its own last events.
 */
final class ViolationReport {

  /** How many events before a violation are shown. */
  static final int TRACE_EVENTS = 40;

  private ViolationReport() {
  }

  static String replayCommand(long seed) {
    return "./mvnw -pl leaderelection-core test -Dtest=ElectionSimulationTest "
        + "-Dsurefire.failIfNoSpecifiedTests=false -Dsimulation.seed=" + seed;
  }

  /**
   * Replays {@code found} with the trace on (checking that it replays), shrinks it, and describes
   * both runs.
   */
  static String describe(int index, int schedules, Outcome found, int shrinkRuns) {
    Scenario scenario = found.scenario();
    Outcome replayed = Simulation.run(scenario, TRACE_EVENTS);
    StringBuilder text = new StringBuilder();
    text.append("first violation at schedule ").append(index).append(" of ").append(schedules)
        .append(" (seed ").append(scenario.seed()).append(")\n")
        .append("  ").append(found.violation().getMessage()).append("\n")
        .append("  at ").append(String.format("%.3f", found.atNanos() / 1e9)).append(" s of ")
        .append(scenario.describe()).append("\n")
        .append("  replay: ").append(replayCommand(scenario.seed())).append("\n");
    if (!replayed.failed() || replayed.events() != found.events()) {
      text.append("  NOT DETERMINISTIC: the replay ended with ").append(replayed.violation())
          .append(" after ").append(replayed.events()).append(" events, not ")
          .append(found.events()).append("\n");
    }
    appendTrace(text, "last events", replayed.trace());
    if (shrinkRuns > 0) {
      Outcome shrunk = new Shrinker(shrinkRuns).shrink(found);
      Outcome traced = Simulation.run(shrunk.scenario(), TRACE_EVENTS);
      text.append("shrunk to ").append(shrunk.scenario().ops().size()).append(" of ")
          .append(scenario.ops().size()).append(" operations: ")
          .append(traced.violation() != null ? traced.violation().getMessage() : "(passed)")
          .append("\n");
      shrunk.scenario().ops().forEach(op -> text.append("    ").append(op).append("\n"));
      appendTrace(text, "last events of the shrunk schedule", traced.trace());
    }
    return text.toString();
  }

  private static void appendTrace(StringBuilder text, String title, List<String> lines) {
    text.append("  ").append(title).append(":\n");
    lines.forEach(line -> text.append("    ").append(line).append("\n"));
  }
}
