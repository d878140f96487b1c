package dev.leaderelection.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deterministic simulator's group scenarios ({@link GroupSimulation}): shard groups whose
 * members join, leave, crash, lose their links, pause and resume, each shard checked after every
 * event (one leader, rising tokens) and the whole group after a quiet tail (no shard led by a
 * paused member, every shard led, spread within one). CI mode runs 200 schedules (about a minute); {@code -Dsimulation.groupSchedules=N} runs more, and
 * {@code -Dsimulation.groupSeed=S} replays one, printing its last events.
 */
class GroupSimulationTest {

  private static final int CI_SCHEDULES = 200;

  @Test
  void groupSchedulesShouldKeepEveryShardSafeAndEndBalanced() {
    String replay = System.getProperty("simulation.groupSeed");
    try (QuietLogging quiet = new QuietLogging()) {
      if (replay != null) {
        GroupSimulation simulation = new GroupSimulation(Long.parseLong(replay), 400);
        String violation = simulation.run();
        simulation.trace().forEach(System.out::println);
        assertThat(violation).as(simulation.describe()).isNull();
        return;
      }
      int schedules = Integer.getInteger("simulation.groupSchedules", CI_SCHEDULES);
      long baseSeed = Long.getLong("simulation.baseSeed", 20_260_101L);
      List<String> violations = new ArrayList<>();
      long events = 0;
      for (int i = 0; i < schedules; i++) {
        GroupSimulation simulation = new GroupSimulation(baseSeed + i, 0);
        String violation = simulation.run();
        events += simulation.events();
        if (violation != null) {
          violations.add(simulation.describe() + ": " + violation + " (replay with "
              + "-Dsimulation.groupSeed=" + (baseSeed + i) + ")");
        }
      }
      System.out.printf("group simulation: %d schedules, %d events, %d violating%n", schedules,
          events, violations.size());
      assertThat(events).isPositive();
      assertThat(violations).isEmpty();
    }
  }

  /**
   * The checker is not vacuous: stores that accept stale updates let two members lead a shard at
   * once, or begin a term with a token already used.
   */
  @Test
  void brokenStoresShouldBeCaughtLeadingAShardTwiceOrReusingAToken() {
    try (QuietLogging quiet = new QuietLogging()) {
      List<String> violations = new ArrayList<>();
      for (long seed = 1; seed <= 40 && violations.isEmpty(); seed++) {
        String violation = new GroupSimulation(seed, 0, true).run();
        if (violation != null) {
          violations.add(violation);
        }
      }
      assertThat(violations).singleElement().asString()
          .containsAnyOf(" led by ", " after term ");
    }
  }
}
