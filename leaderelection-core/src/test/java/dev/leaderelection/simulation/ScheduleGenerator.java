package dev.leaderelection.simulation;

import dev.leaderelection.LeaseTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates a {@link Scenario} from a seed: the family, timings, electors, clock rates (within
 * client-go's tolerance unless told otherwise), listener slowness, and operations at random
 * times before a fault-free tail; half of the operations on a process aim at whoever leads then.
 */
final class ScheduleGenerator {

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;
  private static final LeaseTimings[] TIMINGS = {
      timings(6, 4_000, 1_000), timings(6, 4_000, 1_000), timings(15, 10_000, 2_000),
      timings(4, 3_000, 1_000), timings(10, 7_000, 2_000)};
  private static final Op.Kind[] KINDS = Op.Kind.values();
  /** Relative frequencies of the kinds, in {@link Op.Kind} order (START is never drawn). */
  private static final int[] WEIGHTS = {0, 4, 6, 8, 8, 2, 9, 5, 12, 3, 5, 2, 1, 1, 3};

  /**
   * @param skewFactor how far apart clock rates may be, as a share of the tolerance
   *     (leaseDuration / renewDeadline); below 1 is safe, above is not
   */
  record Settings(long durationNanos, double skewFactor, boolean brokenLock,
      List<Family> families, Set<Op.Kind> kinds) {

    static Settings standard() {
      return new Settings(120 * SECOND, 0.95, false, List.of(Family.values()),
          EnumSet.allOf(Op.Kind.class));
    }

    /** Only {@code kinds} of operations (besides starting every elector). */
    Settings only(Set<Op.Kind> newKinds) {
      return new Settings(durationNanos, skewFactor, brokenLock, families, newKinds);
    }
  }

  private final Settings settings;

  ScheduleGenerator(Settings settings) {
    this.settings = settings;
  }

  Scenario generate(long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    Family family = settings.families().get(random.nextInt(settings.families().size()));
    LeaseTimings timings = TIMINGS[random.nextInt(TIMINGS.length)];
    int electors = random.nextInt(5, 10);
    long renew = timings.renewDeadline().toNanos();
    long lease = timings.leaseDuration().toNanos();
    long[] rates = rates(random, electors, (double) lease / renew);
    int[] priorities = new int[electors];
    long[] latency = new long[electors];
    for (int i = 0; i < electors; i++) {
      priorities[i] = family == Family.PRIORITY ? random.nextInt(4) : 0;
      double slow = random.nextDouble();
      latency[i] = slow < 0.5 ? random.nextLong(5 * MS) : slow < 0.8 ? random.nextLong(renew)
          : renew + random.nextLong(renew / 2);
    }
    long callTimeout = (long) (renew * (0.3 + 0.6 * random.nextDouble()));
    long quiet = Math.max(30 * SECOND, 2 * lease + 10 * SECOND);
    long quietStart = settings.durationNanos() - quiet;
    List<Op> ops = operations(random, family, electors, lease, quietStart);
    return new Scenario(seed, family, timings, electors, rates, priorities, latency, callTimeout,
        settings.durationNanos(), quiet, ops, settings.brokenLock());
  }

  /** Rates whose fastest is at most skewFactor × tolerance × the slowest; often nearly equal. */
  private long[] rates(SplittableRandom random, int electors, double tolerance) {
    double spread = random.nextDouble() < 0.3 || settings.skewFactor() > 1
        ? settings.skewFactor() * tolerance : 1.001;
    spread = Math.max(1.0, spread);
    long[] rates = new long[electors];
    double slowest = 1 / Math.sqrt(spread);
    for (int i = 0; i < electors; i++) {
      double u = i == 0 ? 0 : i == 1 ? 1 : random.nextDouble();
      rates[i] = Math.round(1_000_000 * slowest * Math.pow(spread, u));
    }
    return rates;
  }

  private List<Op> operations(SplittableRandom random, Family family, int electors, long lease,
      long quietStart) {
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < electors; i++) {
      ops.add(new Op(random.nextLong(2 * SECOND), Op.Kind.START, i, 0));
    }
    long meanGap = (long) (SECOND * (1.5 + 2 * random.nextDouble()));
    int total = 0;
    for (int w : WEIGHTS) {
      total += w;
    }
    long t = 2 * SECOND;
    while (true) {
      t += (long) (-Math.log(1 - random.nextDouble()) * meanGap);
      if (t >= quietStart - SECOND) {
        break;
      }
      Op.Kind kind = draw(random, total);
      if (!settings.kinds().contains(kind)) {
        continue;
      }
      double aim = random.nextDouble();
      int target = aim < 0.4 ? Op.LEADER : aim < 0.55 ? Op.BUSY
          : aim < 0.65 && acquireSensitive(kind) ? Op.ACQUIRING : random.nextInt(electors);
      long room = quietStart - SECOND - t;
      switch (kind) {
        case PAUSE -> {
          long resumeAfter = random.nextBoolean() ? random.nextLong(100 * MS)
              : random.nextLong(20 * SECOND);
          boolean resumes = t + resumeAfter < quietStart && random.nextDouble() < 0.8;
          ops.add(new Op(t, kind, target, resumes ? resumeAfter + 1 : 0));
        }
        case YIELD -> ops.add(new Op(t, kind, target, random.nextLong(2 * lease + 1)));
        case FREEZE -> ops.add(new Op(t, kind, target, Math.min(room,
            random.nextLong(100 * MS, 2 * lease))));
        case DEGRADE -> ops.add(new Op(t, kind, target, Math.min(room,
            random.nextLong(500 * MS, 15 * SECOND))));
        case OUTAGE -> ops.add(new Op(t, kind, random.nextInt(2), Math.min(room,
            random.nextLong(500 * MS, 8 * SECOND))));
        case RESTART -> ops.add(new Op(t, kind, random.nextInt(electors),
            (family == Family.PRIORITY ? random.nextInt(6) * 2L : 0) + random.nextInt(2)));
        case FOREIGN_TAKE, FOREIGN_DELETE, FOREIGN_RECREATE, FOREIGN_TOUCH ->
            ops.add(new Op(t, kind, random.nextInt(2), 0));
        default -> ops.add(new Op(t, kind, target, 0));
      }
    }
    ops.sort(Comparator.comparingLong(Op::at));
    return List.copyOf(ops);
  }

  /** Kinds worth aiming at an elector with an acquire in flight. */
  private static boolean acquireSensitive(Op.Kind kind) {
    return kind == Op.Kind.CLOSE || kind == Op.Kind.PAUSE || kind == Op.Kind.YIELD
        || kind == Op.Kind.CRASH || kind == Op.Kind.FREEZE;
  }

  private static Op.Kind draw(SplittableRandom random, int total) {
    int pick = random.nextInt(total);
    for (int i = 0; i < WEIGHTS.length; i++) {
      pick -= WEIGHTS[i];
      if (pick < 0) {
        return KINDS[i];
      }
    }
    throw new IllegalStateException();
  }

  private static LeaseTimings timings(int leaseSeconds, long renewMillis, long retryMillis) {
    return LeaseTimings.of(Duration.ofSeconds(leaseSeconds), Duration.ofMillis(renewMillis),
        Duration.ofMillis(retryMillis));
  }
}
