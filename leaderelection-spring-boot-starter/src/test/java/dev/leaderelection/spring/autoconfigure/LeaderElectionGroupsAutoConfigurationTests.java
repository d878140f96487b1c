package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spi.InMemoryGroupMembership;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.LeaseLockFactory;
import dev.leaderelection.spring.ShardAcquiredEvent;
import dev.leaderelection.spring.ShardEvent;
import dev.leaderelection.spring.ShardLostEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Sharded groups from properties: settings, inheritance, validation, beans, events, lifecycle. */
class LeaderElectionGroupsAutoConfigurationTests {

  private final ApplicationContextRunner runner = StarterContexts.bare()
      .withPropertyValues("leader-election.lock=in-memory");

  @Test
  void groupShouldBeAShardGroupBeanNamedAfterItWithItsShards() {
    runner.withPropertyValues("leader-election.groups.tenants.shards=4",
            "leader-election.groups.orders.shards=2", "leader-election.identity=replica-a")
        .run(context -> {
          assertThat(context).hasNotFailed();
          ShardGroup tenants = context.getBean("tenantsShardGroup", ShardGroup.class);
          assertThat(tenants.name()).isEqualTo("tenants");
          assertThat(tenants.shards()).isEqualTo(4);
          assertThat(tenants.identity()).isEqualTo("replica-a");
          assertThat(context.getBean("ordersShardGroup", ShardGroup.class).shards())
              .isEqualTo(2);
          assertThat(context).doesNotHaveBean("leaderElector");
        });
  }

  @Test
  void groupShouldInheritTheTopLevelSettingsItLeavesUnset() {
    runner.withPropertyValues("leader-election.lease-duration=30",
            "leader-election.renew-deadline=20", "leader-election.retry-period=3",
            "leader-election.kubernetes.namespace=top",
            "leader-election.groups.tenants.shards=4",
            "leader-election.groups.tenants.retry-period=1",
            "leader-election.groups.orders.shards=2",
            "leader-election.groups.orders.kubernetes.namespace=orders")
        .run(context -> {
          assertThat(context).hasNotFailed();
          ElectionSettingsResolver resolver = context.getBean(ElectionSettingsResolver.class);
          GroupSettings tenants = resolver.resolveGroup("tenants");
          assertThat(tenants.shards()).isEqualTo(4);
          assertThat(tenants.settings().timings()).isEqualTo(LeaseTimings.of(
              Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(1)));
          assertThat(tenants.settings().namespace()).isEqualTo("top");
          assertThat(tenants.settings().lock()).isEqualTo("in-memory");
          assertThat(tenants.settings().property("retry-period"))
              .isEqualTo("leader-election.groups.tenants.retry-period");
          assertThat(tenants.settings().property("lease-duration"))
              .isEqualTo("leader-election.lease-duration");
          assertThat(resolver.resolveGroup("orders").settings().namespace())
              .isEqualTo("orders");
        });
  }

  @Test
  void groupShouldNotInheritTheSettingsOfOneElection() {
    runner.withPropertyValues("leader-election.priority=5",
            "leader-election.release-on-shutdown=false",
            "leader-election.kubernetes.migration.from=configmap",
            "leader-election.groups.tenants.shards=2")
        .run(context -> {
          assertThat(context).hasNotFailed();
          ElectionSettings tenants = context.getBean(ElectionSettingsResolver.class)
              .resolveGroup("tenants").settings();
          assertThat(tenants.priority()).isZero();
          assertThat(tenants.releaseOnShutdown()).isTrue();
          assertThat(tenants.migrateFrom()).isNull();
        });
  }

  @Test
  void shardLocksShouldBeNamedAfterTheGroupOnTheGroupsBackend() {
    SharedMemoryBackend backend = new SharedMemoryBackend();
    runner.withBean(LeaseLockFactory.class, () -> backend)
        .withPropertyValues("leader-election.groups.tenants.shards=3",
            "leader-election.groups.tenants.lock=" + SharedMemoryBackend.NAME)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(backend.lockNames()).containsExactlyInAnyOrder("tenants-0", "tenants-1",
              "tenants-2");
        });
  }

  @Test
  void onlyReplicaShouldOwnEveryShardAndPublishAnEventPerShard() {
    List<ShardEvent> events = new CopyOnWriteArrayList<>();
    runner.withPropertyValues("leader-election.groups.tenants.shards=3")
        .withBean("recorder", ApplicationListener.class,
            () -> (ApplicationListener<ShardEvent>) events::add)
        .run(context -> {
          ShardGroup tenants = context.getBean("tenantsShardGroup", ShardGroup.class);
          await().atMost(Duration.ofSeconds(10))
              .until(() -> tenants.ownedShards().equals(Set.of(0, 1, 2)));
          await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);
          assertThat(events).allSatisfy(event -> {
            assertThat(event).isInstanceOf(ShardAcquiredEvent.class);
            assertThat(event.group()).isEqualTo("tenants");
            assertThat(event.identity()).isEqualTo(tenants.identity());
            assertThat(event.getSource()).isSameAs(tenants);
            assertThat(event.fencingToken())
                .isEqualTo(tenants.term(event.shard()).orElseThrow().fencingToken());
          });
          assertThat(events).extracting(ShardEvent::shard).containsExactlyInAnyOrder(0, 1, 2);
          events.clear();
        });

    assertThat(events).as("lost on close, released").hasSize(3).allSatisfy(event ->
        assertThat(event).isInstanceOfSatisfying(ShardLostEvent.class,
            lost -> assertThat(lost.reason()).isEqualTo(StepDownReason.RELEASED)));
  }

  @Test
  void closingTheContextShouldReleaseEveryShard() {
    SharedMemoryBackend backend = new SharedMemoryBackend();
    ApplicationContextRunner shared = runner.withBean(LeaseLockFactory.class, () -> backend)
        .withPropertyValues("leader-election.lock=" + SharedMemoryBackend.NAME,
            "leader-election.groups.tenants.shards=2");
    shared.run(context -> {
      ShardGroup tenants = context.getBean(ShardGroup.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> tenants.ownedShards().size() == 2);
    });

    IntStream.range(0, 2).forEach(shard -> assertThat(((InMemoryLeaseLock) backend.create(
        new LeaseLockFactory.LockRequest("tenants", "tenants-" + shard, LeaseTimings.DEFAULTS,
            "lock"))).get()).get().satisfies(record ->
                assertThat(record.holderIdentity()).isEmpty()));
  }

  @Test
  void groupWaitingForReadinessShouldJoinOnlyOnceTheApplicationAcceptsTraffic() {
    waitingForReadiness().run(context -> {
      InMemoryGroupMembership membership = membership(context);
      assertThat(membership.members()).as("not ready yet").isEmpty();
      AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
      assertThat(membership.members()).containsExactly("replica-a");
    });
  }

  @Test
  void groupShouldStandAsideWhileReadinessIsLostAndJoinAgainOnceItReturns() {
    waitingForReadiness().run(context -> {
      InMemoryGroupMembership membership = membership(context);
      ShardGroup group = context.getBean(ShardGroup.class);
      AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
      await().atMost(Duration.ofSeconds(10)).until(() -> group.ownedShards().size() == 2);

      AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
      assertThat(group.isPaused()).isTrue();
      assertThat(membership.members()).isEmpty();
      await().atMost(Duration.ofSeconds(10)).until(() -> group.ownedShards().isEmpty());

      AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
      assertThat(membership.members()).containsExactly("replica-a");
      await().atMost(Duration.ofSeconds(10)).until(() -> group.ownedShards().size() == 2);
    });
  }

  /** Group {@code tenants} of two shards, as replica-a, waiting for readiness. */
  private ApplicationContextRunner waitingForReadiness() {
    return runner.withPropertyValues("leader-election.groups.tenants.shards=2",
            "leader-election.wait-for-readiness=true", "leader-election.identity=replica-a")
        .withBean(ApplicationAvailabilityBean.class);
  }

  private static InMemoryGroupMembership membership(AssertableApplicationContext context) {
    return (InMemoryGroupMembership) context.getBean(InMemoryLockFactory.class)
        .groupMembership(new LeaseLockFactory.LockRequest("tenants", "tenants",
            LeaseTimings.DEFAULTS, "lock")).orElseThrow();
  }

  @Test
  void contextStoppedWithoutClosingShouldPauseItsGroupsAndResumeThemOnStart() {
    runner.withPropertyValues("leader-election.groups.tenants.shards=2")
        .run(context -> {
          ShardGroup group = context.getBean(ShardGroup.class);
          await().atMost(Duration.ofSeconds(10)).until(() -> group.ownedShards().size() == 2);

          context.stop();
          assertThat(group.isPaused()).isTrue();
          assertThat(group.ownedShards()).isEmpty();

          context.start();
          assertThat(group.isPaused()).isFalse();
          await().atMost(Duration.ofSeconds(10)).until(() -> group.ownedShards().size() == 2);
        });
  }

  @Test
  void groupsAloneShouldNeedNoElection() {
    runner.withPropertyValues("leader-election.groups.tenants.shards=1")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ShardGroup.class)
            .hasSingleBean(ShardGroupLifecycle.class));
  }

  @Test
  void applicationWithoutGroupsShouldGetNoGroupBeans() {
    runner.withPropertyValues("leader-election.lease-name=my-app")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ShardGroup.class)
            .doesNotHaveBean(ShardGroupLifecycle.class)
            .doesNotHaveBean(LeaderElectionGroupsAutoConfiguration.FACTORY_BEAN));
  }

  @Test
  void groupFromAnEnvironmentVariableShouldBeABean() {
    runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("LEADERELECTION_GROUPS_TENANTS_SHARDS", "2"))))
        .run(context -> assertThat(context).hasNotFailed()
            .getBean("tenantsShardGroup", ShardGroup.class)
            .satisfies(tenants -> assertThat(tenants.shards()).isEqualTo(2)));
  }

  @Test
  void electionOnAShardsLockShouldFailTheStartupNamingTheShardAndTheElection() {
    runner.withPropertyValues("leader-election.groups.tenants.shards=2",
            "leader-election.elections.billing.lease-name=tenants-1")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .isInstanceOf(InvalidLeaderElectionPropertyException.class)
            .message().satisfiesAnyOf(
                // whichever the context makes first holds the lock; the other is refused
                message -> assertThat(message).isEqualTo("leader-election.elections.billing."
                    + "lease-name is 'tenants-1' but holds election 'billing' on in-memory "
                    + "tenants-1, which shard tenants-1 of group 'tenants' of this application "
                    + "holds too: this process would lead both at once, and yielding one would "
                    + "end the other"),
                message -> assertThat(message).isEqualTo("leader-election.groups.tenants is "
                    + "'tenants' but holds shard tenants-1 of group 'tenants' on in-memory "
                    + "tenants-1, which election 'billing' of this application holds too: this "
                    + "process would lead both at once, and yielding one would end the other")));
  }

  @Test
  void missingShardsShouldFailTheStartupNamingTheProperty() {
    runner.withPropertyValues("leader-election.groups.tenants.lease-duration=20")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .isInstanceOf(InvalidLeaderElectionPropertyException.class)
            .hasMessage("leader-election.groups.tenants.shards is not set but must be set: a "
                + "group needs to know how many shards it has, the same in every replica"));
  }

  @Test
  void zeroShardsShouldFailTheStartupNamingTheValueAndTheRule() {
    runner.withPropertyValues("leader-election.groups.tenants.shards=0")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessage("leader-election.groups.tenants.shards is '0' but must be at least 1"));
  }

  @Test
  void groupSettingAnElectionsOwnPropertyShouldFailTheStartup() {
    runner.withPropertyValues("leader-election.groups.tenants.shards=2",
            "leader-election.groups.tenants.priority=3")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessage("leader-election.groups.tenants.priority is '3' but is a setting of one "
                + "election, which a sharded group does not have: its shards' locks are named "
                + "<group>-<shard>, and balancing, not preemption, moves them"));
  }

  @Test
  void groupSettingAProcessWidePropertyShouldFailTheStartup() {
    runner.withPropertyValues("leader-election.groups.tenants.shards=2",
            "leader-election.groups.tenants.identity=me")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessage("leader-election.groups.tenants.identity is 'me' but is a setting of "
                + "the whole process, which one election cannot change"));
  }

  @Test
  void groupTimingsBreakingTheRuleWithAnInheritedOneShouldNameTheGroupsProperty() {
    runner.withPropertyValues("leader-election.groups.tenants.shards=2",
            "leader-election.groups.tenants.renew-deadline=20s")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessage("leader-election.groups.tenants.renew-deadline is '20s' but must be "
                + "less than lease-duration (15s, inherited from "
                + "leader-election.lease-duration)"));
  }

  @Test
  void groupAndElectionOfOneNameShouldFailTheStartup() {
    runner.withPropertyValues("leader-election.groups.reports.shards=2",
            "leader-election.elections.reports.lease-duration=20")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessage("leader-election.groups.reports names a group, and an election of this "
                + "application has that name too, so events, health and the endpoint could not "
                + "tell them apart"));
  }

  @Test
  void backendWithoutMembershipShouldFailTheStartupNamingTheLockProperty() {
    LeaseLockFactory plain = new LeaseLockFactory() {
      @Override
      public String name() {
        return "plain";
      }

      @Override
      public boolean isConfigured() {
        return true;
      }

      @Override
      public LeaseLock create(LockRequest request) {
        return new InMemoryLeaseLock(request.leaseName());
      }
    };
    runner.withBean(LeaseLockFactory.class, () -> plain)
        .withPropertyValues("leader-election.groups.tenants.shards=2",
            "leader-election.groups.tenants.lock=plain")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessage("leader-election.groups.tenants.lock is 'plain' but holds elections but "
                + "not sharded groups: the backend 'plain' gives no group membership, so the "
                + "replicas of group 'tenants' could not find each other"));
  }
}
