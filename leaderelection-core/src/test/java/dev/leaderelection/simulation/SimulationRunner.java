package dev.leaderelection.simulation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs many schedules on a few threads, each world confined to one thread. Schedule {@code k}'s
 * seed is a function of the base seed and {@code k} only, so any schedule replays alone. With
 * fail-fast, no schedule after the first failing one is started; the first failing index is
 * the same whatever the threads did.
 */
final class SimulationRunner {

  /** How many violations are kept for the report (the lowest schedule indexes). */
  private static final int KEPT = 10;

  /**
   * @param baseSeed schedule k's seed is {@link #seedOf(long, int)}
   * @param failFast stop starting schedules past the first that fails
   */
  record Settings(long baseSeed, int schedules, int threads, boolean failFast,
      ScheduleGenerator.Settings generator) {
  }

  /** A violation found in schedule {@code index} of the run. */
  record Found(int index, Outcome outcome) {
  }

  /** The figures of a run. */
  record Report(int schedules, long events, long simulatedNanos, long terms, long wallNanos,
      int failed, List<Found> violations, Map<String, Integer> failedByKind,
      Map<String, Found> firstByKind) {
  }

  private final Settings settings;
  private final ScheduleGenerator generator;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger stopAt;
  private final List<Found> found = new ArrayList<>();
  private final Map<String, Integer> byKind = new TreeMap<>();
  private final Map<String, Found> firstByKind = new TreeMap<>();
  private int done;
  private int failed;
  private long events;
  private long simulated;
  private long terms;

  SimulationRunner(Settings settings) {
    this.settings = settings;
    this.generator = new ScheduleGenerator(settings.generator());
    this.stopAt = new AtomicInteger(settings.schedules());
  }

  /** The seed of schedule {@code index} of a run from {@code baseSeed} (SplitMix64). */
  static long seedOf(long baseSeed, int index) {
    long z = baseSeed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  Report run() throws InterruptedException {
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < settings.threads(); i++) {
      Thread thread = new Thread(this::work, "simulation-" + i);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    long wall = System.nanoTime() - start;
    synchronized (this) {
      found.sort(Comparator.comparingInt(Found::index));
      return new Report(done, events, simulated, terms, wall, failed, List.copyOf(found),
          new TreeMap<>(byKind), new TreeMap<>(firstByKind));
    }
  }

  private void work() {
    while (true) {
      int index = next.getAndIncrement();
      if (index >= stopAt.get()) {
        return;
      }
      Outcome outcome = Simulation.run(generator.generate(seedOf(settings.baseSeed(), index)), 0);
      record(index, outcome);
    }
  }

  private synchronized void record(int index, Outcome outcome) {
    done++;
    events += outcome.events();
    simulated += outcome.atNanos();
    terms += outcome.terms();
    if (!outcome.failed()) {
      return;
    }
    failed++;
    String kind = outcome.scenario().family() + " " + outcome.violation().kind();
    byKind.merge(kind, 1, Integer::sum);
    firstByKind.merge(kind, new Found(index, outcome),
        (kept, other) -> kept.index() <= other.index() ? kept : other);
    found.add(new Found(index, outcome));
    found.sort(Comparator.comparingInt(Found::index));
    if (found.size() > KEPT) {
      found.remove(found.size() - 1);
    }
    if (settings.failFast()) {
      stopAt.accumulateAndGet(index, Math::min);
    }
  }
}
