package dev.leaderelection.chaos;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Which faults a run throws, how often each relative to the others, and how long a batch holds
 * them before they clear. Weights are kept sorted, so a seed picks the same kinds again. Immutable.
 *
 * @param weights how often each fault kind is picked, relative to the others
 * @param shortestHold the shortest time a batch holds its faults
 * @param longestHold the longest time a batch holds its faults (pauses and API-server restarts
 *     always outlast the lease)
 * @param largestBatch the most faults one batch throws at once, each at another candidate
 */
record FaultSchedule(Map<String, Integer> weights, Duration shortestHold, Duration longestHold,
    int largestBatch) {

  FaultSchedule {
    weights = new TreeMap<>(weights);
  }

  /**
   * Quick mode: every kind often enough to show up in 200 faults, process faults, API-server
   * restarts and this library's own operations (yields, pause/resume flaps, slow stops) included.
   */
  static FaultSchedule quick() {
    return new FaultSchedule(Map.ofEntries(
        Map.entry("partition", 12), Map.entry("blackhole", 12), Map.entry("latency", 18),
        Map.entry("slow", 12), Map.entry("reset", 12), Map.entry("sigkill", 8),
        Map.entry("sigterm", 8), Map.entry("pause", 4), Map.entry("api-restart", 2),
        Map.entry("contention", 3), Map.entry("foreign-writer", 3), Map.entry("yield", 10),
        Map.entry("pause-flap", 10), Map.entry("slow-stop", 5)),
        Duration.ofMillis(200), Duration.ofMillis(1_400), 4);
  }

  /**
   * Full mode: 10,000 faults in about an hour on 2 cores (with seven candidates, so that a batch
   * can throw up to six). Faults that hold the run for a lease duration (pauses, API-server
   * restarts, a killed leader) are rarer, yet in 10,000 faults there are still about 650 process
   * faults and 35 API-server restarts.
   */
  static FaultSchedule full() {
    return new FaultSchedule(Map.ofEntries(
        Map.entry("partition", 140), Map.entry("blackhole", 140), Map.entry("latency", 200),
        Map.entry("slow", 140), Map.entry("reset", 140), Map.entry("sigkill", 25),
        Map.entry("sigterm", 25), Map.entry("pause", 5), Map.entry("api-restart", 3),
        Map.entry("contention", 6), Map.entry("foreign-writer", 15), Map.entry("yield", 40),
        Map.entry("pause-flap", 40), Map.entry("slow-stop", 10)),
        Duration.ofMillis(100), Duration.ofMillis(800), 6);
  }

  /** The schedule of a mode: {@code quick} or {@code full}. */
  static FaultSchedule of(String mode) {
    return switch (mode) {
      case "quick" -> quick();
      case "full" -> full();
      default -> throw new IllegalArgumentException("chaos.mode is '" + mode
          + "'; it must be quick or full");
    };
  }

  /**
   * This schedule for the candidates of {@code library}: on etcd, the server that restarts is
   * etcd ({@code etcd-restart}) instead of the API server ({@code api-restart}), three times as
   * often, since etcd is back within a second; the peers' electors have no yield, pause or
   * resume, so their schedule leaves out the {@link ControlFaults}.
   */
  FaultSchedule on(String library) {
    Map<String, Integer> adapted = new TreeMap<>(weights);
    if (!library.startsWith("leaderelection")) {
      adapted.keySet().removeAll(ControlFaults.kinds());
    }
    if (library.equals(ChaosRunner.ON_ETCD) && adapted.containsKey("api-restart")) {
      adapted.put("etcd-restart", 3 * adapted.remove("api-restart"));
    }
    return new FaultSchedule(adapted, shortestHold, longestHold, largestBatch);
  }

  /**
   * This schedule for the members of a sharded group ({@link ShardedCandidate}): a
   * {@code ShardGroup} has no yield, pause or resume of its own, so the {@link ControlFaults} are
   * left out; the foreign writer edits a random shard's Lease, and contention starts members that
   * join the group.
   */
  FaultSchedule sharded() {
    Map<String, Integer> adapted = new TreeMap<>(weights);
    adapted.keySet().removeAll(ControlFaults.kinds());
    return new FaultSchedule(adapted, shortestHold, longestHold, largestBatch);
  }

  /** A fault kind, drawn by weight. */
  String pick(Random random) {
    int roll = random.nextInt(weights.values().stream().mapToInt(Integer::intValue).sum());
    for (Map.Entry<String, Integer> weight : weights.entrySet()) {
      roll -= weight.getValue();
      if (roll < 0) {
        return weight.getKey();
      }
    }
    throw new IllegalStateException("weights exhausted");
  }

  /** How long the next batch holds its faults. */
  long holdMillis(Random random) {
    long shortest = shortestHold.toMillis();
    return shortest + random.nextInt((int) (longestHold.toMillis() - shortest) + 1);
  }
}
