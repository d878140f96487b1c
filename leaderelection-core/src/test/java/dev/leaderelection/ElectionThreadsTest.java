package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.spi.InMemoryLeaseLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Many electors on one set of shared threads. */
class ElectionThreadsTest {

  private static final LeaseTimings FAST =
      LeaseTimings.of(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200));

  @Test
  void fiftyElectionsShouldRunOnOneSchedulerThreadAndTheLockCallThreads() {
    List<LeaderElector> electors = new ArrayList<>();
    try (ElectionThreads threads = ElectionThreads.create(2)) {
      for (int i = 0; i < 50; i++) {
        LeaderElector elector = LeaderElector.builder(new InMemoryLeaseLock("election-" + i),
            "candidate").timings(FAST).threads(threads).build();
        elector.start();
        electors.add(elector);
      }

      await().atMost(Duration.ofSeconds(20))
          .until(() -> electors.stream().allMatch(LeaderElector::isLeader));
      await().during(FAST.retryPeriod().multipliedBy(3)).atMost(Duration.ofSeconds(5))
          .until(() -> electors.stream().allMatch(LeaderElector::isLeader));

      assertThat(threadsByRole()).containsEntry("leader-election-scheduler", 1)
          .hasEntrySatisfying("leader-election-lock-call", count -> assertThat(count)
              .isBetween(1, 2));
      electors.forEach(LeaderElector::close);
    }
    assertThat(electors).noneMatch(LeaderElector::isLeader);
  }

  @Test
  void lockCallThreadsOutOfRangeShouldBeRefusedNamingTheValueAndTheRange() {
    assertThatIllegalArgumentException().isThrownBy(() -> ElectionThreads.create(0))
        .withMessage("lockCallThreads is 0 but must be between 1 and 64");
    assertThatIllegalArgumentException().isThrownBy(() -> ElectionThreads.create(100_000))
        .withMessage("lockCallThreads is 100000 but must be between 1 and 64");
  }

  @Test
  void closingShouldStopEveryThread() {
    ElectionThreads threads = ElectionThreads.create(3);
    LeaderElector elector = LeaderElector.builder(new InMemoryLeaseLock("closing"), "candidate")
        .timings(FAST).threads(threads).build();
    elector.start();
    await().atMost(Duration.ofSeconds(5)).until(elector::isLeader);
    elector.close();

    threads.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> threadsByRole().isEmpty());
  }

  /** Live threads of the shared pools by role (name without its number). */
  private static Map<String, Integer> threadsByRole() {
    Map<String, Integer> roles = new TreeMap<>();
    Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("leader-election-")
            && !name.startsWith("leader-election-watch"))
        .forEach(name -> roles.merge(name.substring(0, name.lastIndexOf('-')), 1, Integer::sum));
    return roles;
  }
}
