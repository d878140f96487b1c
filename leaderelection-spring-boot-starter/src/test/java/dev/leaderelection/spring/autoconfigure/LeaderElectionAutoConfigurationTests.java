package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.InMemoryLeaseLock;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaderRecord;
import dev.leaderelection.LeaseLock;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spring.LeaderElectorCustomizer;
import dev.leaderelection.spring.LeadershipAcquiredEvent;
import io.kubernetes.client.openapi.ApiClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.event.EventListener;

@ExtendWith(OutputCaptureExtension.class)
class LeaderElectionAutoConfigurationTests {

  static final AutoConfigurations ALL = AutoConfigurations.of(
      LeaderElectionApiClientAutoConfiguration.class, LeaderElectionAutoConfiguration.class,
      OnLeaderAutoConfiguration.class, LeaderElectionHealthContributorAutoConfiguration.class,
      LeaderElectionMetricsAutoConfiguration.class);

  /** No Kubernetes unless a test configures one: no kubeconfig, no service account. */
  static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(ALL)
        .withPropertyValues("KUBECONFIG=", "KUBERNETES_SERVICE_HOST=", "leader-election.lease-name=my-app",
            "leader-election.lock=in-memory");
  }

  private final ApplicationContextRunner runner = runner();

  @Test
  void bareNumbersShouldBeSecondsAtTheTopLevelAndInNamedElections() {
    runner.withPropertyValues("leader-election.lease-duration=30", "leader-election.renew-deadline=20",
            "leader-election.retry-period=2", "leader-election.elections.reports.retry-period=1")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean("leaderElector", LeaderElector.class).timings())
              .isEqualTo(LeaseTimings.of(Duration.ofSeconds(30), Duration.ofSeconds(20),
                  Duration.ofSeconds(2)));
          assertThat(context.getBean("reportsLeaderElector", LeaderElector.class).timings()
              .retryPeriod()).isEqualTo(Duration.ofSeconds(1));
        });
  }

  @Test
  void everyBeanShouldBePresentByDefault() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(LeaderElector.class).hasBean("leaderElector");
      assertThat(context).hasSingleBean(LeaderElectorFactory.class)
          .hasSingleBean(LeaderElectionLifecycle.class)
          .hasSingleBean(ElectionThreads.class)
          .hasSingleBean(OnLeaderBeanPostProcessor.class)
          .hasSingleBean(ElectionObserver.class)
          .hasBean("leaderElectionHealthContributor")
          .doesNotHaveBean(ApiClient.class);
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(Duration.ofSeconds(5)).until(elector::isLeader);
      assertThat(context.getBean(MeterRegistry.class).get("leader.election.leader")
          .tag("election", "default").gauge().value()).isEqualTo(1.0);
    });
  }

  @Test
  void applicationLeaderElectorShouldReplaceTheDefaultOne() {
    LeaderElector own = LeaderElector.builder(new InMemoryLeaseLock("own"), "me").build();
    runner.withBean("myElector", LeaderElector.class, () -> own).run(context -> {
      assertThat(context).hasSingleBean(LeaderElector.class).doesNotHaveBean("leaderElector");
      assertThat(context.getBean(LeaderElector.class)).isSameAs(own);
    });
  }

  @Test
  void applicationLeaderElectorShouldBeStartedWithTheContextAndReleasedOnClose() {
    InMemoryLeaseLock lock = new InMemoryLeaseLock("own");
    LeaderElector own = LeaderElector.builder(lock, "me").build();
    runner.withBean("myElector", LeaderElector.class, () -> own).run(context -> {
      await().atMost(Duration.ofSeconds(5)).until(own::isLeader);
      assertThat(lock.get()).get().extracting(LeaderRecord::holderIdentity).isEqualTo("me");
    });

    assertThat(own.isLeader()).as("closed with the context").isFalse();
    assertThat(lock.get()).get().extracting(LeaderRecord::holderIdentity)
        .as("released on close").isEqualTo("");
  }

  @Test
  void applicationLeaderElectorStartedByTheApplicationShouldFailTheStartupClearly() {
    LeaderElector own = LeaderElector.builder(new InMemoryLeaseLock("own"), "me").build();
    own.start();
    try {
      runner.withBean("myElector", LeaderElector.class, () -> own).run(context -> {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure()).hasRootCauseMessage(
            "The elector for in-memory lock own was already started");
      });
    } finally {
      own.close();
    }
  }

  @Test
  void applicationApiClientShouldBeUsedForALeaseLock() {
    ApiClient client = new ApiClient();
    runner.withBean(ApiClient.class, () -> client)
        .withPropertyValues("leader-election.lock=lease", "leader-election.namespace=team-a")
        .run(context -> {
          assertThat(context).hasSingleBean(ApiClient.class)
              .doesNotHaveBean("leaderElectionApiClient");
          assertThat(context.getBean(LeaderElector.class).lock().describe())
              .isEqualTo("Lease team-a/my-app");
        });
  }

  @Test
  void applicationLeaseLockShouldBeUsedForTheDefaultElection() {
    InMemoryLeaseLock shared = new InMemoryLeaseLock("shared");
    runner.withBean(InMemoryLeaseLock.class, () -> shared).run(context ->
        assertThat(context.getBean(LeaderElector.class).lock()).isSameAs(shared));
  }

  @Test
  void namedElectionLockShouldNotBeTakenByTheDefaultElection() {
    InMemoryLeaseLock reports = new InMemoryLeaseLock("reports");
    runner.withPropertyValues("leader-election.elections.reports.lock=in-memory")
        .withBean("reportsLeaseLock", InMemoryLeaseLock.class, () -> reports)
        .run(context -> {
          assertThat(context.getBean("reportsLeaderElector", LeaderElector.class).lock())
              .isSameAs(reports);
          assertThat(context.getBean("leaderElector", LeaderElector.class).lock())
              .isNotSameAs(reports);
        });
  }

  @Test
  void kubeconfigShouldGiveAnApiClientAndAutoShouldChooseALease(@TempDir Path dir)
      throws Exception {
    Path kubeconfig = dir.resolve("config");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: secret-token}}]
        contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
        current-context: x
        """);
    runner.withPropertyValues("KUBECONFIG=" + kubeconfig, "leader-election.lock=auto",
            "POD_NAMESPACE=team-b")
        .run(context -> {
          assertThat(context).hasSingleBean(ApiClient.class);
          assertThat(context.getBean(LeaderElector.class).lock().describe())
              .isEqualTo("Lease team-b/my-app");
        });
  }

  @Test
  void noKubernetesShouldFallBackToInMemoryWithOneWarning(CapturedOutput output) {
    runner.withPropertyValues("leader-election.lock=auto").run(context -> {
      assertThat(context.getBean(LeaderElector.class).lock().describe())
          .isEqualTo("in-memory lock my-app");
      assertThat(output).containsOnlyOnce("uses an in-memory lock, so it is local to this JVM");
    });
  }

  @Test
  void identityShouldDefaultToThePodNameWithARandomSuffix() {
    runner.withPropertyValues("POD_NAME=web-7d9f").run(context ->
        assertThat(context.getBean(LeaderElector.class).identity())
            .matches("web-7d9f_[0-9a-f]{8}"));
  }

  @Test
  void disabledShouldCreateNothing() {
    runner.withPropertyValues("leader-election.enabled=false").run(context -> {
      assertThat(context).hasNotFailed()
          .doesNotHaveBean(LeaderElector.class)
          .doesNotHaveBean(LeaderElectorFactory.class)
          .doesNotHaveBean(OnLeaderBeanPostProcessor.class)
          .doesNotHaveBean("leaderElectionHealthContributor");
    });
  }

  @Test
  void withoutActuatorTheApplicationShouldStartWithoutHealth() {
    runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(LeaderElector.class)
              .doesNotHaveBean("leaderElectionHealthContributor");
        });
  }

  @Test
  void withoutMicrometerTheApplicationShouldStartWithoutMetrics() {
    runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(LeaderElector.class)
          .doesNotHaveBean(ElectionObserver.class);
    });
  }

  @Test
  void healthShouldBeTurnedOffByProperty() {
    runner.withPropertyValues("management.health.leaderelection.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean("leaderElectionHealthContributor"));
  }

  @Test
  void namedElectionsShouldEachHaveAnElectorAndAHealthComponent() {
    runner.withPropertyValues("leader-election.elections.reports.lease-name=reports-lease",
            "leader-election.elections.billing.retry-period=1s")
        .run(context -> {
          assertThat(context).hasBean("leaderElector").hasBean("reportsLeaderElector")
              .hasBean("billingLeaderElector");
          assertThat(context.getBean(LeaderElector.class))
              .isSameAs(context.getBean("leaderElector"));
          assertThat(context.getBean("reportsLeaderElector", LeaderElector.class).lock()
              .describe()).isEqualTo("in-memory lock reports-lease");
          assertThat(context.getBean("billingLeaderElector", LeaderElector.class).timings()
              .retryPeriod()).hasSeconds(1);
          CompositeHealthContributor health = context.getBean("leaderElectionHealthContributor",
              CompositeHealthContributor.class);
          assertThat(health.stream().map(entry -> entry.name()))
              .containsExactlyInAnyOrder("default", "reports", "billing");
        });
  }

  @Test
  void namedElectionsShouldEachPublishTheirOwnEvents() {
    runner.withPropertyValues("leader-election.elections.reports.lease-name=reports-lease")
        .withBean(AcquiredEvents.class)
        .run(context -> {
          AcquiredEvents events = context.getBean(AcquiredEvents.class);
          await().atMost(Duration.ofSeconds(5)).until(() -> events.elections.size() == 2);
          assertThat(events.elections).containsExactlyInAnyOrder("default", "reports");
          assertThat(events.sources).containsExactlyInAnyOrder(
              context.getBean("leaderElector"), context.getBean("reportsLeaderElector"));
        });
  }

  static class AcquiredEvents {

    final List<String> elections = new CopyOnWriteArrayList<>();
    final List<Object> sources = new CopyOnWriteArrayList<>();

    @EventListener
    void on(LeadershipAcquiredEvent event) {
      elections.add(event.election());
      sources.add(event.getSource());
    }
  }

  @Test
  void applicationHealthContributorShouldReplaceTheDefaultOne() {
    HealthIndicator own = () -> org.springframework.boot.health.contributor.Health.up().build();
    runner.withBean("leaderElectionHealthContributor", HealthIndicator.class, () -> own)
        .run(context -> assertThat(context.getBean("leaderElectionHealthContributor"))
            .isSameAs(own));
  }

  @Test
  void customizersShouldSeeEveryElectionBuilder() {
    List<String> customized = new CopyOnWriteArrayList<>();
    runner.withPropertyValues("leader-election.elections.reports.lock=in-memory")
        .withBean(LeaderElectorCustomizer.class,
            () -> (election, builder) -> customized.add(election))
        .run(context -> {
          context.getBean("reportsLeaderElector");
          assertThat(customized).containsExactlyInAnyOrder("default", "reports");
        });
  }

  @Test
  void metricsShouldCountTransitionsRenewalsAndFailures() {
    InMemoryLeaseLock store = new InMemoryLeaseLock("metrics");
    java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
    LeaseLock flaky = new LeaseLock() {
      @Override
      public java.util.Optional<dev.leaderelection.LeaderRecord> get() {
        if (failing.get()) {
          throw new LeaseLockException("store unreachable");
        }
        return store.get();
      }

      @Override
      public dev.leaderelection.LeaderRecord create(dev.leaderelection.LeaderRecord record) {
        return store.create(record);
      }

      @Override
      public dev.leaderelection.LeaderRecord update(dev.leaderelection.LeaderRecord record) {
        return store.update(record);
      }

      @Override
      public String describe() {
        return store.describe();
      }
    };
    ApplicationContextRunner metered = runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(LeaseLock.class, () -> flaky)
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
    failing.set(true);
    metered.run(context -> {
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          await().atMost(Duration.ofSeconds(5)).until(() -> meters.find(
              "leader.election.api.failures").tag("reason", "LeaseLockException")
              .counters().stream().mapToDouble(counter -> counter.count()).sum() >= 2);
          assertThat(context.getBean(LeaderElector.class).isLeader()).isFalse();
        });
  }

  @Test
  void closingTheContextShouldLeaveNoElectionThreads() {
    runner.run(context -> {
      await().atMost(Duration.ofSeconds(5))
          .until(() -> context.getBean(LeaderElector.class).isLeader());
      assertThat(electionThreads()).isNotEmpty();
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> electionThreads().isEmpty());
  }

  @Test
  void allElectionsShouldShareOneSetOfThreadsSizedByProperty() {
    runner.withPropertyValues("leader-election.lock-call-threads=5",
            "leader-election.elections.reports.lock=in-memory",
            "leader-election.elections.billing.lock=in-memory")
        .run(context -> {
          assertThat(context.getBean(ElectionThreads.class).lockCallThreads()).isEqualTo(5);
          await().atMost(Duration.ofSeconds(5)).until(() -> context
              .getBeansOfType(LeaderElector.class).values().stream()
              .allMatch(LeaderElector::isLeader));
          assertThat(electionThreads()).filteredOn(name -> name.contains("scheduler"))
              .as("one scheduler for three elections").hasSize(1);
        });
  }

  private static List<String> electionThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(name -> name.startsWith("leader-election-")).toList();
  }

  @Test
  void healthShouldReportTheRoleAndTheLease() {
    runner.run(context -> {
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(Duration.ofSeconds(5)).until(elector::isLeader);
      HealthContributor contributor = context.getBean("leaderElectionHealthContributor",
          HealthContributor.class);
      var health = ((HealthIndicator) contributor).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("role", "LEADER")
          .containsEntry("leader", elector.identity())
          .containsEntry("lease", "in-memory lock my-app")
          .containsEntry("transitions", 0)
          .containsKey("lastRenew");
    });
  }
}
