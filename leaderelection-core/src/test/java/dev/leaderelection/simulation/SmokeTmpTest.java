package dev.leaderelection.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTmpTest {
  @Test
  void smokeShouldRun() throws Exception {
    try (QuietLogging quiet = new QuietLogging()) {
      ScheduleGenerator generator = new ScheduleGenerator(ScheduleGenerator.Settings.standard());
      long start = System.nanoTime();
      long events = 0;
      int failed = 0;
      int n = Integer.getInteger("smoke.n", 50);
      for (int i = 0; i < n; i++) {
        Outcome o = Simulation.run(generator.generate(SimulationRunner.seedOf(1, i)), 0);
        events += o.events();
        if (o.failed()) {
          failed++;
          if (failed <= 8) {
            System.out.println("schedule " + i + " " + o.scenario().describe() + ": "
                + o.violation().getMessage() + " at " + o.atNanos() / 1e9);
          }
        }
      }
      System.out.println("ran " + n + " in " + (System.nanoTime() - start) / 1e6 + " ms, events "
          + events + ", failed " + failed);
      assertThat(events).isPositive();
    }
  }
}
