package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spring.ElectionLockProvider;
import dev.leaderelection.spring.LeaderElectorCustomizer;
import dev.leaderelection.spring.LeadershipAcquiredEvent;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.event.EventListener;

/** The electors, their locks, lifecycle, events and threads. */
@ExtendWith(OutputCaptureExtension.class)
class LeaderElectionAutoConfigurationTests {

  private final ApplicationContextRunner runner = StarterContexts.runner();

  @Test
  void bareNumbersShouldBeSecondsAtTheTopLevelAndInNamedElections() {
    runner.withPropertyValues("leader-election.lease-duration=30",
            "leader-election.renew-deadline=20", "leader-election.retry-period=2",
            "leader-election.elections.reports.retry-period=1")
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
  void electorAndItsInfrastructureShouldBePresentByDefault() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(LeaderElector.class).hasBean("leaderElector");
      assertThat(context).hasSingleBean(LeaderElectorFactory.class)
          .hasSingleBean(LeaderElectionLifecycle.class)
          .hasSingleBean(ElectionThreads.class)
          .hasSingleBean(LeaderElections.class)
          .doesNotHaveBean(ApiClient.class);
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(Duration.ofSeconds(5)).until(elector::isLeader);
    });
  }

  @Test
  void applicationLeaderElectorShouldReplaceTheDefaultOne() {
    LeaderElector own = LeaderElector.builder(new InMemoryLeaseLock("own"), "me").build();
    runner.withBean("myElector", LeaderElector.class, () -> own).run(context -> {
      assertThat(context).hasSingleBean(LeaderElector.class).doesNotHaveBean("leaderElector");
      assertThat(context.getBean(LeaderElector.class)).isSameAs(own);
      assertThat(context.getBean(LeaderElections.class).elector("")).isSameAs(own);
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
  void applicationLeaseLockShouldBeUsedForTheDefaultElection() {
    InMemoryLeaseLock shared = new InMemoryLeaseLock("shared");
    runner.withBean(InMemoryLeaseLock.class, () -> shared).run(context ->
        assertThat(context.getBean(LeaderElector.class).lock()).isSameAs(shared));
  }

  @Test
  void lockProviderShouldGiveANamedElectionItsLock() {
    InMemoryLeaseLock reports = new InMemoryLeaseLock("reports");
    runner.withPropertyValues("leader-election.elections.reports.lock=in-memory")
        .withBean(ElectionLockProvider.class, () -> ElectionLockProvider.of("reports", reports))
        .run(context -> {
          assertThat(context.getBean("reportsLeaderElector", LeaderElector.class).lock())
              .isSameAs(reports);
          assertThat(context.getBean("leaderElector", LeaderElector.class).lock().describe())
              .isEqualTo("in-memory lock my-app");
        });
  }

  @Test
  void namedElectionLockShouldNotBeTakenByTheDefaultElection() {
    InMemoryLeaseLock reports = new InMemoryLeaseLock("reports");
    runner.withPropertyValues("leader-election.elections.reports.lock=in-memory")
        .withBean("reportsLock", InMemoryLeaseLock.class, () -> reports)
        .withBean(ElectionLockProvider.class, () -> ElectionLockProvider.of("reports", reports))
        .run(context -> {
          assertThat(context.getBean("reportsLeaderElector", LeaderElector.class).lock())
              .isSameAs(reports);
          assertThat(context.getBean("leaderElector", LeaderElector.class).lock())
              .isNotSameAs(reports);
        });
  }

  @Test
  void lockProviderShouldWinOverTheLeaseLockBeanForTheDefaultElection() {
    InMemoryLeaseLock provided = new InMemoryLeaseLock("provided");
    runner.withBean(InMemoryLeaseLock.class, () -> new InMemoryLeaseLock("bean"))
        .withBean(ElectionLockProvider.class, () -> ElectionLockProvider.of("default", provided))
        .run(context ->
            assertThat(context.getBean(LeaderElector.class).lock()).isSameAs(provided));
  }

  @Test
  void twoLockProvidersForOneElectionShouldFailTheStartupNamingIt() {
    runner.withPropertyValues("leader-election.elections.reports.lock=in-memory")
        .withBean("first", ElectionLockProvider.class,
            () -> ElectionLockProvider.of("reports", new InMemoryLeaseLock("a")))
        .withBean("second", ElectionLockProvider.class,
            () -> ElectionLockProvider.of("reports", new InMemoryLeaseLock("b")))
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().hasMessage(
              "2 ElectionLockProvider beans give a lock for election 'reports', but at most one "
                  + "may");
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
  void fixedIdentityShouldWarnThatEveryReplicaWouldShareIt(CapturedOutput output) {
    runner.withPropertyValues("leader-election.identity=app-1").run(context -> {
      assertThat(context.getBean(LeaderElector.class).identity()).isEqualTo("app-1");
      assertThat(output).containsOnlyOnce("leader-election.identity is set to 'app-1' for every "
          + "process started with this configuration: two replicas with one identity both "
          + "believe they lead");
    });
  }

  @Test
  void identityFromAPlaceholderShouldNotBeWarnedAbout(CapturedOutput output) {
    runner.withPropertyValues("POD_NAME=web-7d9f", "leader-election.identity=${POD_NAME}")
        .run(context -> {
          assertThat(context.getBean(LeaderElector.class).identity()).isEqualTo("web-7d9f");
          assertThat(output).doesNotContain("leader-election.identity is set to");
        });
  }

  @Test
  void identityShouldDefaultToThePodNameWithARandomSuffix() {
    runner.withPropertyValues("POD_NAME=web-7d9f").run(context ->
        assertThat(context.getBean(LeaderElector.class).identity())
            .matches("web-7d9f_[0-9a-f]{8}"));
  }

  @Test
  void disabledShouldCreateNoElector() {
    runner.withPropertyValues("leader-election.enabled=false").run(context -> {
      assertThat(context).hasNotFailed()
          .doesNotHaveBean(LeaderElector.class)
          .doesNotHaveBean(LeaderElectorFactory.class)
          .doesNotHaveBean(LeaderElections.class);
    });
  }

  @Test
  void namedElectionsShouldEachHaveAnElector() {
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
          LeaderElections elections = context.getBean(LeaderElections.class);
          assertThat(elections.names()).containsExactly("billing", "default", "reports");
          assertThat(elections.elector("reports"))
              .isSameAs(context.getBean("reportsLeaderElector"));
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

  /**
   * The election threads alive in this JVM. Not the Kubernetes locks' HTTP dispatcher threads
   * ({@code leader-election-http-*}): they end only after 60 s idle, so those of earlier tests'
   * contexts on a Kubernetes API are still there when the whole starter suite runs, and these
   * tests' in-memory elections make none.
   */
  private static List<String> electionThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(name -> name.startsWith("leader-election-"))
        .filter(name -> !name.startsWith("leader-election-http-")).toList();
  }

  @Test
  void kubernetesElectionsShouldRecordEventsUnlessTurnedOff() {
    ApiClient client = new ApiClient().setBasePath("http://127.0.0.1:1");
    ApplicationContextRunner kubernetes = runner.withBean(ApiClient.class, () -> client)
        .withPropertyValues("leader-election.lock=lease", "leader-election.kubernetes.namespace=jobs",
            "leader-election.release-on-shutdown=false");

    kubernetes.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(KubernetesEventsContributor.class);
      assertThat(context.getBean(KubernetesEventsContributor.class).recording())
          .containsExactly("default");
    });
    kubernetes.withPropertyValues("leader-election.kubernetes.events.enabled=false")
        .run(context -> assertThat(context.getBean(KubernetesEventsContributor.class)
            .recording()).isEmpty());
    kubernetes.withPropertyValues("leader-election.kubernetes.events.enabled=false",
            "leader-election.elections.billing.kubernetes.events.enabled=true",
            "leader-election.elections.reports.lock=lease")
        .run(context -> assertThat(context.getBean(KubernetesEventsContributor.class)
            .recording()).containsExactly("billing"));
    runner.run(context -> assertThat(context).doesNotHaveBean(KubernetesEventsContributor.class));
  }

  @Test
  void migrateFromShouldHoldEachElectionOnTheOldLockAndItsLease() {
    ApiClient client = new ApiClient().setBasePath("http://127.0.0.1:1");
    runner.withBean(ApiClient.class, () -> client)
        .withPropertyValues("leader-election.lock=lease", "leader-election.kubernetes.namespace=jobs",
            "leader-election.release-on-shutdown=false",
            "leader-election.kubernetes.migration.from=configmap",
            "leader-election.kubernetes.migration.name=old-lock",
            "leader-election.elections.billing.kubernetes.migration.from=endpoints")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean("leaderElector", LeaderElector.class).lock().describe())
              .isEqualTo("Lease jobs/my-app (migrating from ConfigMap jobs/old-lock)");
          assertThat(context.getBean("billingLeaderElector", LeaderElector.class).lock()
              .describe()).isEqualTo("Lease jobs/billing (migrating from Endpoints jobs/billing)");
        });
  }

  @Test
  void migrateFromWithoutALeaseShouldFailNamingTheProperty() {
    runner.withPropertyValues("leader-election.kubernetes.migration.from=configmap").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessage(
          "leader-election.kubernetes.migration.from is 'configmap' but moves an election to a Lease, and the "
              + "election's lock is in-memory");
    });
  }
}
