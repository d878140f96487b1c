package dev.leaderelection.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests of the simulator itself: it replays a seed exactly, and its invariants are not vacuous (a
 * broken lock, or clock rates beyond client-go's tolerance, make it report two leaders).
 */
@ExtendWith(QuietLogging.ForClass.class)
class SimulatorSelfTest {

  @Test
  void sameSeedShouldReplayEventForEvent() {
    ScheduleGenerator generator = new ScheduleGenerator(ScheduleGenerator.Settings.standard());
    for (int i = 0; i < 5; i++) {
      Scenario scenario = generator.generate(SimulationRunner.seedOf(7, i));
      Outcome first = Simulation.run(scenario, 40);
      Outcome second = Simulation.run(generator.generate(SimulationRunner.seedOf(7, i)), 40);
      assertThat(second.events()).isEqualTo(first.events());
      assertThat(second.trace()).isEqualTo(first.trace());
    }
  }

  @Test
  void lockAcceptingStaleUpdatesShouldBeCaughtAsOverlap() {
    assertThat(firstViolationKind(settings(0.95, true), 50))
        .isIn("two leaders", "token regression");
  }

  @Test
  void clockRatesBeyondToleranceShouldBeCaughtAsTwoLeaders() {
    assertThat(firstViolationKind(settings(2.5, false), 200))
        .isIn("two leaders", "stale fenced write");
  }

  @Test
  void clockRatesWithinToleranceShouldKeepOneLeader() {
    assertThat(firstViolationKind(settings(0.95, false), 50)).isEqualTo("none");
  }

  /**
   * Plain Lease schedules of crashes, network faults and freezes only: none of the elector's own
   * operations (pause, yield, close), so what they find is the lock's or the clocks' doing.
   */
  private static ScheduleGenerator.Settings settings(double skewFactor, boolean brokenLock) {
    return new ScheduleGenerator.Settings(120_000_000_000L, skewFactor, brokenLock,
        List.of(Family.LEASE), ScheduleGenerator.Settings.standard().kinds())
        .only(EnumSet.of(Op.Kind.CRASH, Op.Kind.RESTART, Op.Kind.DEGRADE, Op.Kind.FREEZE,
            Op.Kind.OUTAGE));
  }

  /** The kind of the first violation among {@code schedules} schedules, or "none". */
  private static String firstViolationKind(ScheduleGenerator.Settings settings, int schedules) {
    ScheduleGenerator generator = new ScheduleGenerator(settings);
    for (int i = 0; i < schedules; i++) {
      Outcome outcome = Simulation.run(generator.generate(SimulationRunner.seedOf(11, i)), 0);
      if (outcome.failed()) {
        return outcome.violation().kind() + "";
      }
    }
    return "none";
  }
}
