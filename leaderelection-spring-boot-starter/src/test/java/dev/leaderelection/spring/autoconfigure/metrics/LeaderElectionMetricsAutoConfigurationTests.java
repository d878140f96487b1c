package dev.leaderelection.spring.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.TestRecordingLock;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.autoconfigure.StarterContexts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Micrometer metrics of every election and every sharded group, only with Micrometer and a meter
 * registry.
 */
class LeaderElectionMetricsAutoConfigurationTests {

  private final ApplicationContextRunner runner = StarterContexts.runner();

  @Test
  void metricsShouldBePresentWithAMeterRegistry() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(MicrometerElectionObserver.class);
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(Duration.ofSeconds(5)).until(elector::isLeader);
      assertThat(context.getBean(MeterRegistry.class).get("leader.election.leader")
          .tag("election", "default").gauge().value()).isEqualTo(1.0);
    });
  }

  @Test
  void withoutAMeterRegistryThereShouldBeNoMetrics() {
    runner.run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(MicrometerElectionObserver.class));
  }

  @Test
  void withoutMicrometerTheApplicationShouldStartWithoutMetrics() {
    runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(LeaderElector.class)
          .doesNotHaveBean(MicrometerElectionObserver.class);
    });
  }

  @Test
  void disabledShouldCreateNoMetrics() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("leader-election.enabled=false")
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(MicrometerElectionObserver.class));
  }

  @Test
  void metricsShouldCountTransitionsRenewalsAndFailures() {
    TestRecordingLock lock = new TestRecordingLock();
    ApplicationContextRunner metered = runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(LeaseLock.class, () -> lock)
        .withPropertyValues("leader-election.retry-period=200ms",
            "leader-election.renew-deadline=600ms", "leader-election.lease-duration=1s");
    metered.run(context -> {
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(Duration.ofSeconds(5)).until(elector::isLeader);
      await().atMost(Duration.ofSeconds(5)).until(() -> meters.get("leader.election.renew")
          .tag("election", "default").timer().count() >= 3);
      assertThat(meters.get("leader.election.transitions").tag("transition", "acquired")
          .counter().count()).isEqualTo(1.0);

      elector.close();
      assertThat(meters.get("leader.election.transitions").tag("transition", "lost")
          .counter().count()).isEqualTo(1.0);
    });
    lock.failGets(new LeaseLockException("store unreachable"));
    metered.run(context -> {
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      await().atMost(Duration.ofSeconds(5)).until(() -> meters.find(
          "leader.election.api.failures").tag("reason", "LeaseLockException")
          .counters().stream().mapToDouble(Counter::count).sum() >= 2);
      assertThat(context.getBean(LeaderElector.class).isLeader()).isFalse();
    });
  }

  @Test
  void groupShouldGaugeOwnedShardsFromZeroUntilItOwnsItsShareAndCountAcquires() {
    groups().withPropertyValues("leader-election.wait-for-readiness=true")
        .withBean(ApplicationAvailabilityBean.class)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(MicrometerGroupObserver.class);
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          assertThat(gauge(meters, "leader.election.shards.owned")).isZero();
          assertThat(gauge(meters, "leader.election.group.members")).isZero();
          assertThat(meters.get("leader.election.shard.transitions").tag("group", "tenants")
              .tag("transition", "acquired").tag("reason", "none").counter().count()).isZero();

          AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
          await().atMost(Duration.ofSeconds(10))
              .until(() -> gauge(meters, "leader.election.shards.owned") == 4.0);
          assertThat(gauge(meters, "leader.election.shards.fair.share")).isEqualTo(4.0);
          assertThat(gauge(meters, "leader.election.group.members")).isEqualTo(1.0);
          await().atMost(Duration.ofSeconds(5)).until(() -> meters
              .get("leader.election.shard.transitions").tag("transition", "acquired")
              .counter().count() == 4.0);
        });
  }

  @Test
  void shardsReleasedShouldBeCountedAsLostWithTheirReason() {
    groups().run(context -> {
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      ShardGroup tenants = context.getBean(ShardGroup.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> tenants.ownedShards().size() == 4);

      tenants.close();

      assertThat(gauge(meters, "leader.election.shards.owned")).isZero();
      await().atMost(Duration.ofSeconds(5)).until(() -> meters
          .find("leader.election.shard.transitions").tag("transition", "lost")
          .tag("reason", "RELEASED").counters().stream().mapToDouble(Counter::count).sum() == 4.0);
    });
  }

  @Test
  void applicationWithoutGroupsShouldHaveNoGroupMeters() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(MeterRegistry.class).find("leader.election.shards.owned")
          .gauges()).isEmpty();
    });
  }

  private static double gauge(MeterRegistry meters, String name) {
    return meters.get(name).tag("group", "tenants").gauge().value();
  }

  /** One group of four shards alone, in memory, with a meter registry. */
  private static ApplicationContextRunner groups() {
    return StarterContexts.bare().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("leader-election.lock=in-memory",
            "leader-election.groups.tenants.shards=4", "leader-election.identity=replica-a");
  }
}
