package dev.leaderelection.simulation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one run of a scenario came to.
 *
 * @param violation the invariant broken, or null when all held
 * @param atNanos when the run ended: at the violation, or at the scenario's end
 * @param events how many events fired
 * @param terms how many terms began
 * @param trace the last events before the end, when traced
 */
record Outcome(Scenario scenario, @Nullable Violation violation, long atNanos, long events,
    long terms, List<String> trace) {

  boolean failed() {
    return violation != null;
  }

  /** Whether {@code other} broke the same invariant. */
  boolean sameKindAs(Outcome other) {
    return failed() && other.failed() && violation.kind().equals(other.violation.kind());
  }
}
