package dev.leaderelection.simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a failing scenario: drops chunks of operations, then single ones, keeping each drop
 * after which the run still breaks the same invariant; bounded by a number of runs. The result is
 * a scenario of its own (the seed alone replays the original).
 */
final class Shrinker {

  private final int maxRuns;

  Shrinker(int maxRuns) {
    this.maxRuns = maxRuns;
  }

  Outcome shrink(Outcome failing) {
    Outcome best = failing;
    int runs = 0;
    for (int chunk = Math.max(1, best.scenario().ops().size() / 2); chunk >= 1; chunk /= 2) {
      int from = 0;
      while (from < best.scenario().ops().size() && runs < maxRuns) {
        List<Op> ops = new ArrayList<>(best.scenario().ops());
        int to = Math.min(ops.size(), from + chunk);
        ops.subList(from, to).clear();
        Outcome tried = Simulation.run(best.scenario().withOps(ops), 0);
        runs++;
        if (tried.sameKindAs(failing)) {
          best = tried;
        } else {
          from = to;
        }
      }
    }
    return best;
  }
}
