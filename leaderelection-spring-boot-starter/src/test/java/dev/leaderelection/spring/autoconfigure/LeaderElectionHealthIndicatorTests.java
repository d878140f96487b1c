package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.InMemoryLeaseLock;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaderRecord;
import dev.leaderelection.LeaseLock;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.RecordWatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The health of one election beyond UP and DOWN: what operators must be told. */
class LeaderElectionHealthIndicatorTests {

  private static final LeaseTimings FAST =
      LeaseTimings.of(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(200));

  private LeaderElector elector;

  @AfterEach
  void close() {
    if (elector != null) {
      elector.close();
    }
  }

  @Test
  void strangerHoldingAHugeLeaseShouldBeNamedInTheDetails() {
    InMemoryLeaseLock lock = new InMemoryLeaseLock("reports");
    lock.create(held("stranger", Duration.ofSeconds(100_000), 3));
    Health health = healthOf(lock, LeaseTimings.DEFAULTS);

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails().get("warning")).asString()
        .contains("'stranger' holds in-memory lock reports for 100000s, far longer than this "
            + "election's 15s")
        .contains("delete the lock object to hand over at once");
  }

  @Test
  void ordinaryLeaderShouldNotBeWarnedAbout() {
    InMemoryLeaseLock lock = new InMemoryLeaseLock("reports");
    lock.create(held("other", Duration.ofSeconds(15), 3));

    assertThat(healthOf(lock, LeaseTimings.DEFAULTS).getDetails()).doesNotContainKey("warning");
  }

  @Test
  void refusedWatchShouldSayThatFollowersPoll() {
    InMemoryLeaseLock store = new InMemoryLeaseLock("reports");
    store.create(held("other", Duration.ofSeconds(15), 3));
    LeaseLock unwatchable = new LeaseLock() {
      @Override
      public Optional<LeaderRecord> get() {
        return store.get();
      }

      @Override
      public LeaderRecord create(LeaderRecord record) {
        return store.create(record);
      }

      @Override
      public LeaderRecord update(LeaderRecord record) {
        return store.update(record);
      }

      @Override
      public Optional<AutoCloseable> watch(RecordWatcher watcher) {
        throw new LeaseLockException("watch on leases is forbidden");
      }

      @Override
      public String describe() {
        return store.describe();
      }
    };
    elector = LeaderElector.builder(unwatchable, "me").timings(LeaseTimings.DEFAULTS).build();
    elector.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> elector.watchFailure().isPresent());

    Health health = new LeaderElectionHealthIndicator(() -> elector).health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails().get("watch"))
        .isEqualTo("polling every 2s (watch on leases is forbidden)");
  }

  @Test
  void fencingTokenAtItsLimitShouldBeDownWithTheRepair() {
    InMemoryLeaseLock lock = new InMemoryLeaseLock("reports");
    lock.create(held("stranger", Duration.ofSeconds(1), Integer.MAX_VALUE));
    elector = LeaderElector.builder(lock, "me").timings(FAST).build();
    elector.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> elector.lastFailure().isPresent());

    Health health = new LeaderElectionHealthIndicator(() -> elector).health();

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails().get("error")).asString()
        .contains("leaseTransitions is 2147483647")
        .contains("set spec.leaseTransitions lower");
    assertThat(elector.isLeader()).isFalse();
  }

  private Health healthOf(LeaseLock lock, LeaseTimings timings) {
    elector = LeaderElector.builder(lock, "me").timings(timings).build();
    elector.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> elector.observedRecord().isPresent());
    return new LeaderElectionHealthIndicator(() -> elector).health();
  }

  private static LeaderRecord held(String holder, Duration lease, int transitions) {
    Instant now = Instant.now();
    return new LeaderRecord(holder, lease, now, now, transitions, 0, null, null);
  }
}
