package dev.leaderelection.simulation;

import dev.leaderelection.LeaseTimings;
import java.util.List;

/**
 * Everything one run depends on besides the code under test: the world's seed (network and
 * controller randomness), the election's shape, each process's clock rate, priority and listener
 * slowness, and the operations. Runs of equal scenarios are equal, event for event.
 *
 * @param seed the seed the scenario was generated from; also seeds the world's randomness
 * @param ratePpm each slot's clock rate, in millionths of true time
 * @param priorities each slot's first priority
 * @param listenerLatency each slot's longest delay of a listener call, in nanoseconds
 * @param callTimeoutNanos the lock calls' timeout, below the renew deadline
 * @param quietNanos the fault-free tail at the end, in which liveness is checked
 * @param brokenLock whether the store accepts stale updates (to test the simulator)
 */
record Scenario(long seed, Family family, LeaseTimings timings, int electors, long[] ratePpm,
    int[] priorities, long[] listenerLatency, long callTimeoutNanos, long durationNanos,
    long quietNanos, List<Op> ops, boolean brokenLock) {

  Scenario withOps(List<Op> newOps) {
    return new Scenario(seed, family, timings, electors, ratePpm, priorities, listenerLatency,
        callTimeoutNanos, durationNanos, quietNanos, List.copyOf(newOps), brokenLock);
  }

  long quietStart() {
    return durationNanos - quietNanos;
  }

  long minRatePpm() {
    long min = Long.MAX_VALUE;
    for (long rate : ratePpm) {
      min = Math.min(min, rate);
    }
    return min;
  }

  /** One line: the shape, for reports. */
  String describe() {
    return family + " " + electors + " electors " + timings.leaseDuration().toSeconds() + "s/"
        + timings.renewDeadline().toMillis() / 1000.0 + "s/"
        + timings.retryPeriod().toMillis() / 1000.0 + "s, " + ops.size() + " operations";
  }
}
