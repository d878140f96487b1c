package dev.leaderelection.simulation;

import java.util.SplittableRandom;

/**
 * The network between each process and the server: per link, a delay for every message, and
 * while the link is degraded longer delays (past a call's timeout) and lost messages. Once quiet,
 * every link is good for good: the fault-free tail of a schedule.
 */
final class Network {

  private static final long MS = 1_000_000L;

  private final SplittableRandom random;
  private final World world;
  private final long[] degradedUntil;
  private final long[] slowest;
  private final double[] loss;
  private final long goodMax;
  private boolean quiet;

  /** @param goodMaxNanos the longest delay on a good link */
  Network(World world, SplittableRandom random, int links, long goodMaxNanos) {
    this.world = world;
    this.random = random;
    this.degradedUntil = new long[links];
    this.slowest = new long[links];
    this.loss = new double[links];
    this.goodMax = goodMaxNanos;
  }

  /**
   * Degrades {@code link} for {@code nanos}: delays up to {@code slowestNanos}, and each message
   * lost with probability {@code lossRate}.
   */
  void degrade(int link, long nanos, long slowestNanos, double lossRate) {
    if (quiet) {
      return;
    }
    degradedUntil[link] = world.now() + nanos;
    slowest[link] = slowestNanos;
    loss[link] = lossRate;
  }

  /** From now on no link is degraded. */
  void quiet() {
    quiet = true;
  }

  boolean isQuiet() {
    return quiet;
  }

  /** The delay of one message on {@code link}, or -1 when it is lost. */
  long delay(int link) {
    if (!quiet && world.now() < degradedUntil[link]) {
      if (random.nextDouble() < loss[link]) {
        return -1;
      }
      return random.nextLong(MS, slowest[link] + MS + 1);
    }
    return random.nextLong(MS / 10, goodMax + 1);
  }

  /** The lag of a watch event on {@code link} (never lost: a lost event breaks the watch). */
  long watchLag(int link) {
    long delay = delay(link);
    return delay < 0 ? random.nextLong(MS, Math.max(2 * MS, slowest[link])) : delay;
  }

  /** A uniform choice, for the watch's duplicates and reorderings. */
  boolean chance(double probability) {
    return !quiet && random.nextDouble() < probability;
  }

  SplittableRandom random() {
    return random;
  }
}
