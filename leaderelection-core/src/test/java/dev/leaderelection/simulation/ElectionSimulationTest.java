package dev.leaderelection.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deterministic simulator, FoundationDB-simulation style: real {@code LeaderElector}s on one
 * simulated clock and event loop against simulated locks, processes and faults, the invariants
 * checked after every event (see {@link Checker}). A seed replays a run event for event.
 *
 * <p>CI mode (this test in {@code ./mvnw verify}): 10,000 schedules of 5 to 9 electors and 120
 * simulated seconds each, on 2 threads. Switches (system properties):
 * <ul>
 *   <li>{@code -Dsimulation.seed=S}: replays the one schedule of seed S, printing its last
 *       events (the command a violation prints);
 *   <li>{@code -Dsimulation.mode=long} (or {@code -Dsimulation.schedules=250000}): 250,000
 *       schedules, whose figures are written to the simulation section of
 *       {@code docs/reliability.md}: {@code ./mvnw -pl leaderelection-core test
 *       -Dtest=ElectionSimulationTest -Dsurefire.failIfNoSpecifiedTests=false
 *       -Dsimulation.mode=long};
 *   <li>{@code -Dsimulation.failFast=true}: stops at the first violating schedule and reports
 *       its index ("first violation at schedule k of n"), for counting how many schedules a
 *       re-introduced mistake survives;
 *   <li>{@code -Dsimulation.baseSeed=B}, {@code -Dsimulation.threads=T},
 *       {@code -Dsimulation.shrinkRuns=R} (0: no shrinking).
 * </ul>
 */
class ElectionSimulationTest {

  private static final int CI_SCHEDULES = 10_000;
  private static final int LONG_SCHEDULES = 250_000;

  @Test
  @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.HOURS)
  void schedulesShouldKeepEveryInvariant() throws Exception {
    String seed = System.getProperty("simulation.seed");
    try (QuietLogging quiet = new QuietLogging()) {
      if (seed != null) {
        replay(Long.parseLong(seed));
      } else {
        runMany();
      }
    }
  }

  private void replay(long seed) {
    ScheduleGenerator generator = new ScheduleGenerator(generatorSettings());
    Outcome outcome = Simulation.run(generator.generate(seed), ViolationReport.TRACE_EVENTS);
    if (outcome.failed()) {
      String text = ViolationReport.describe(0, 1, outcome, shrinkRuns());
      System.out.println(text);
      assertThat(outcome.violation()).as(text).isNull();
    }
    System.out.printf("seed %d (%s): passed, %d events%n", seed,
        outcome.scenario().describe(), outcome.events());
    assertThat(outcome.events()).isPositive();
  }

  private void runMany() throws InterruptedException {
    boolean longMode = "long".equals(System.getProperty("simulation.mode"));
    int schedules = Integer.getInteger("simulation.schedules",
        longMode ? LONG_SCHEDULES : CI_SCHEDULES);
    long baseSeed = Long.getLong("simulation.baseSeed", 20_260_101L);
    boolean failFast = Boolean.parseBoolean(System.getProperty("simulation.failFast", "false"));
    SimulationRunner.Settings settings = new SimulationRunner.Settings(baseSeed, schedules,
        Integer.getInteger("simulation.threads", 2), failFast, generatorSettings());
    SimulationRunner.Report report = new SimulationRunner(settings).run();
    String figures = String.format("simulation: %d schedules (base seed %d), %.1f simulated "
            + "hours, %d events, %d terms, %d violating schedules, wall time %.1f s "
            + "(%.0f events/s)", report.schedules(), baseSeed,
        report.simulatedNanos() / 3.6e12, report.events(), report.terms(), report.failed(),
        report.wallNanos() / 1e9, report.events() / (report.wallNanos() / 1e9));
    System.out.println(figures);
    report.failedByKind().forEach((kind, count) -> {
      SimulationRunner.Found first = report.firstByKind().get(kind);
      System.out.printf("  %6d schedules: %s (first: schedule %d, seed %d: %s)%n", count, kind,
          first.index(), first.outcome().scenario().seed(),
          first.outcome().violation().getMessage());
    });
    if (schedules >= LONG_SCHEDULES) {
      new ReliabilitySection(Path.of("../docs/reliability.md")).write(report, baseSeed,
          Duration.ofNanos(report.wallNanos()));
    }
    if (!report.violations().isEmpty()) {
      SimulationRunner.Found first = report.violations().get(0);
      report.violations().forEach(found -> System.out.printf("schedule %d (seed %d): %s%n",
          found.index(), found.outcome().scenario().seed(),
          found.outcome().violation().getMessage()));
      String text = ViolationReport.describe(first.index(), schedules, first.outcome(),
          shrinkRuns());
      System.out.println(text);
      assertThat(report.failed()).as(text).isZero();
    }
    assertThat(report.schedules()).isEqualTo(schedules);
  }

  /** The standard generator, limited to {@code -Dsimulation.families=LEASE,MIGRATING} if set. */
  private static ScheduleGenerator.Settings generatorSettings() {
    ScheduleGenerator.Settings standard = ScheduleGenerator.Settings.standard();
    String families = System.getProperty("simulation.families");
    return families == null ? standard : new ScheduleGenerator.Settings(standard.durationNanos(),
        standard.skewFactor(), false,
        Arrays.stream(families.split(",")).map(String::trim).map(Family::valueOf).toList(),
        standard.kinds());
  }

  private static int shrinkRuns() {
    return Integer.getInteger("simulation.shrinkRuns", 400);
  }
}
