package dev.leaderelection.spring.autoconfigure.onleader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spring.ElectionLockProvider;
import dev.leaderelection.spring.OnLeader;
import dev.leaderelection.spring.autoconfigure.StarterContexts;
import dev.leaderelection.spring.it.ElectionTestApplication.QueueConsumer;
import dev.leaderelection.spring.it.QueueConsumers;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * {@code @OnLeader} in two application contexts that share one in-memory lock: the first to
 * start leads, the other follows.
 */
class OnLeaderAutoConfigurationTests {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final InMemoryLeaseLock lock = new InMemoryLeaseLock("shared");

  private ApplicationContextRunner runner(Class<?>... configurations) {
    return StarterContexts.runner()
        .withPropertyValues("leader-election.retry-period=200ms",
            "leader-election.renew-deadline=600ms", "leader-election.lease-duration=1s")
        .withBean(InMemoryLeaseLock.class, () -> lock)
        .withUserConfiguration(configurations);
  }

  @Test
  void guardShouldBePresentByDefault() {
    runner().run(context -> assertThat(context).hasNotFailed()
        .hasSingleBean(OnLeaderBeanPostProcessor.class).hasSingleBean(LeaderScopedWork.class));
  }

  @Test
  void disabledShouldCreateNoGuard() {
    runner().withPropertyValues("leader-election.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(OnLeaderBeanPostProcessor.class)
            .doesNotHaveBean(LeaderScopedWork.class));
  }

  @Test
  void guardedMethodsShouldRunOnlyOnTheLeader() {
    runner(Jobs.class).run(leader -> {
      awaitLeadership(leader, true);
      runner(Jobs.class).run(follower -> {
        awaitLeadership(follower, false);
        Jobs onLeader = leader.getBean(Jobs.class);
        Jobs onFollower = follower.getBean(Jobs.class);

        assertThat(onLeader.report()).isEqualTo("report");
        assertThat(onLeader.find()).contains("found");
        assertThat(onFollower.report()).isNull();
        assertThat(onFollower.find()).isEmpty();
        assertThat(onFollower.calls()).isZero();
        assertThat(onLeader.calls()).isEqualTo(2);
        assertThat(onFollower.unguarded()).isEqualTo("always");
      });
    });
  }

  @Test
  void classAnnotationShouldGuardEveryPublicMethodThroughAJdkProxy() {
    runner(GuardedServiceConfiguration.class)
        .withPropertyValues("spring.aop.proxy-target-class=false")
        .run(leader -> {
          awaitLeadership(leader, true);
          runner(GuardedServiceConfiguration.class)
              .withPropertyValues("spring.aop.proxy-target-class=false")
              .run(follower -> {
                awaitLeadership(follower, false);
                Greeter onLeader = leader.getBean(Greeter.class);
                Greeter onFollower = follower.getBean(Greeter.class);
                assertThat(AopUtils.isJdkDynamicProxy(onLeader)).isTrue();
                assertThat(onLeader.greet("a")).isEqualTo("hello a");
                assertThat(onFollower.greet("a")).isNull();
              });
        });
  }

  @Test
  void classAnnotationShouldGuardThroughACglibProxyByDefault() {
    runner(GuardedServiceConfiguration.class).run(leader -> {
      awaitLeadership(leader, true);
      runner(GuardedServiceConfiguration.class).run(follower -> {
        awaitLeadership(follower, false);
        Greeter onLeader = leader.getBean(Greeter.class);
        Greeter onFollower = follower.getBean(Greeter.class);
        assertThat(AopUtils.isCglibProxy(onLeader)).isTrue();
        assertThat(AopUtils.isCglibProxy(onFollower)).isTrue();
        assertThat(onLeader.greet("b")).isEqualTo("hello b");
        assertThat(onFollower.greet("b")).isNull();
      });
    });
  }

  @Test
  void scheduledMethodShouldRunOnlyInTheLeadersContext() {
    runner(ScheduledJob.class).run(leader -> {
      awaitLeadership(leader, true);
      runner(ScheduledJob.class).run(follower -> {
        awaitLeadership(follower, false);
        ScheduledJob leaderJob = leader.getBean(ScheduledJob.class);
        ScheduledJob followerJob = follower.getBean(ScheduledJob.class);
        int before = leaderJob.runs();
        await().atMost(WAIT).until(() -> leaderJob.runs() >= before + 5);
        assertThat(followerJob.runs()).isZero();
      });
    });
  }

  @Test
  void leaderScopedLifecycleShouldRunOnlyWhileLeading() {
    runner(QueueConsumer.class).run(leader -> {
      awaitLeadership(leader, true);
      QueueConsumer leaderConsumer = leader.getBean(QueueConsumer.class);
      await().atMost(WAIT).until(leaderConsumer::isRunning);
      runner(QueueConsumer.class).run(follower -> {
        awaitLeadership(follower, false);
        QueueConsumer followerConsumer = follower.getBean(QueueConsumer.class);
        assertThat(followerConsumer.isRunning()).isFalse();
        assertThat(QueueConsumers.starts(followerConsumer)).isZero();

        leader.getBean(LeaderElector.class).close();

        assertThat(leaderConsumer.isRunning()).isFalse();
        await().atMost(WAIT).until(followerConsumer::isRunning);
        assertThat(QueueConsumers.starts(followerConsumer)).isEqualTo(1);
      });
    });
  }

  @Test
  void annotationOnAnInterfaceMethodShouldGuardTheImplementation() {
    runner(InterfaceAnnotated.class).run(leader -> {
      awaitLeadership(leader, true);
      runner(InterfaceAnnotated.class).run(follower -> {
        awaitLeadership(follower, false);
        assertThat(leader.getBean(Task.class).run()).isEqualTo("ran");
        assertThat(follower.getBean(Task.class).run()).isNull();
      });
    });
  }

  @Test
  void classAnnotationShouldLeaveObjectMethodsUnguarded() {
    runner(ValueLike.class).run(leader -> {
      awaitLeadership(leader, true);
      runner(ValueLike.class).run(follower -> {
        awaitLeadership(follower, false);
        ValueLike onFollower = follower.getBean(ValueLike.class);
        assertThat(onFollower.toString()).isEqualTo("value");
        assertThat(onFollower.equals(onFollower)).isTrue();
        assertThat(onFollower.describe()).isNull();
        assertThat(leader.getBean(ValueLike.class).describe()).isEqualTo("described");
      });
    });
  }

  @Test
  void lazyInitializationShouldStillStartTheElection() {
    runner(Jobs.class).withPropertyValues("spring.main.lazy-initialization=true")
        .withInitializer(context -> context.addBeanFactoryPostProcessor(
            new LazyInitializationBeanFactoryPostProcessor()))
        .run(context -> awaitLeadership(context, true));
  }

  @Test
  void finalMethodShouldBeRejectedAtStartup() {
    runner(FinalJob.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("is private, static or final, so no proxy can guard it");
    });
  }

  @Test
  void primitiveReturnTypeShouldBeRejectedAtStartup() {
    runner(PrimitiveJob.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
          "@OnLeader method PrimitiveJob.count() of bean").hasMessageContaining("returns int, "
              + "but @OnLeader methods must return void, an object or an Optional");
    });
  }

  @Test
  void unknownElectionShouldBeRejectedAtStartup() {
    runner(UnknownElectionJob.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
          "follows election 'nightly', which is not configured; configured elections: "
              + "[default]");
    });
  }

  @Test
  void namedElectionShouldGuardWithItsOwnElector() {
    runner(NamedElectionJob.class)
        .withPropertyValues("leader-election.elections.nightly.lock=in-memory")
        .run(context -> {
          LeaderElector nightly = context.getBean("nightlyLeaderElector", LeaderElector.class);
          await().atMost(WAIT).until(nightly::isLeader);
          assertThat(context.getBean(NamedElectionJob.class).run()).isEqualTo("ran");
        });
  }

  @Test
  void namedElectionGuardShouldSkipWhereOnlyTheDefaultElectionLeads() {
    InMemoryLeaseLock nightlyLock = new InMemoryLeaseLock("nightly");
    runner(NamedElectionJob.class)
        .withBean(ElectionLockProvider.class, () -> ElectionLockProvider.of("nightly", nightlyLock))
        .withPropertyValues("leader-election.elections.nightly.lock=in-memory")
        .run(first -> {
          LeaderElector firstNightly = first.getBean("nightlyLeaderElector", LeaderElector.class);
          await().atMost(WAIT).until(firstNightly::isLeader);
          runner(NamedElectionJob.class)
              .withBean(ElectionLockProvider.class,
                  () -> ElectionLockProvider.of("nightly", nightlyLock))
              .withPropertyValues("leader-election.elections.nightly.lock=in-memory")
              .run(second -> {
                LeaderElector secondNightly =
                    second.getBean("nightlyLeaderElector", LeaderElector.class);
                await().atMost(WAIT).until(() -> secondNightly.leader().isPresent());
                first.getBean(LeaderElector.class).close();
                await().atMost(WAIT).until(() -> second.getBean(LeaderElector.class).isLeader());

                assertThat(secondNightly.isLeader()).as("nightly still led by the first").isFalse();
                assertThat(second.getBean(NamedElectionJob.class).run()).isNull();
                assertThat(first.getBean(NamedElectionJob.class).run()).isEqualTo("ran");
              });
        });
  }

  @Test
  void oneInterfaceMethodShouldFollowTheElectionOfEachImplementation() {
    InMemoryLeaseLock nightlyLock = new InMemoryLeaseLock("nightly");
    Instant now = Instant.now();
    nightlyLock.create(LeaderRecord.builder().holderIdentity("someone-else")
        .leaseDuration(Duration.ofHours(1)).acquireTime(now).renewTime(now).build());
    runner(TwoGreeters.class)
        .withBean(ElectionLockProvider.class, () -> ElectionLockProvider.of("nightly", nightlyLock))
        .withPropertyValues("leader-election.elections.nightly.lock=in-memory",
            "spring.aop.proxy-target-class=false")
        .run(context -> {
          awaitLeadership(context, true);
          Greeter daily = context.getBean("daily", Greeter.class);
          Greeter nightly = context.getBean("nightly", Greeter.class);
          assertThat(AopUtils.isJdkDynamicProxy(nightly)).isTrue();
          for (int i = 0; i < 3; i++) {
            assertThat(daily.greet("d")).isEqualTo("hello d");
            assertThat(nightly.greet("n")).as("nightly is led by someone else").isNull();
          }
        });
  }

  private static void awaitLeadership(AssertableApplicationContext context, boolean leads) {
    assertThat(context).hasNotFailed();
    LeaderElector elector = context.getBean(LeaderElector.class);
    if (leads) {
      await().atMost(WAIT).until(elector::isLeader);
    } else {
      await().atMost(WAIT).until(() -> elector.leader().isPresent());
      assertThat(elector.isLeader()).isFalse();
    }
  }

  static class Jobs {

    private final AtomicInteger calls = new AtomicInteger();

    int calls() {
      return calls.get();
    }

    @OnLeader
    public String report() {
      calls.incrementAndGet();
      return "report";
    }

    @OnLeader
    public Optional<String> find() {
      calls.incrementAndGet();
      return Optional.of("found");
    }

    public String unguarded() {
      return "always";
    }
  }

  interface Greeter {
    String greet(String name);
  }

  @OnLeader
  static class GuardedGreeter implements Greeter {

    @Override
    public String greet(String name) {
      return "hello " + name;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class GuardedServiceConfiguration {

    @Bean
    GuardedGreeter greeter() {
      return new GuardedGreeter();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoGreeters {

    @Bean
    Greeter daily() {
      return new GuardedGreeter();
    }

    @Bean
    Greeter nightly() {
      return new NightlyGreeter();
    }
  }

  @OnLeader("nightly")
  static class NightlyGreeter implements Greeter {

    @Override
    public String greet(String name) {
      return "hello " + name;
    }
  }

  @EnableScheduling
  static class ScheduledJob {

    private final AtomicInteger runs = new AtomicInteger();

    int runs() {
      return runs.get();
    }

    @OnLeader
    @Scheduled(fixedDelay = 20)
    public void sweep() {
      runs.incrementAndGet();
    }
  }

  interface Task {

    @OnLeader
    String run();
  }

  static class InterfaceAnnotated implements Task {

    @Override
    public String run() {
      return "ran";
    }
  }

  @OnLeader
  static class ValueLike {

    public String describe() {
      return "described";
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof ValueLike;
    }

    @Override
    public int hashCode() {
      return 1;
    }

    @Override
    public String toString() {
      return "value";
    }
  }

  static class FinalJob {

    @OnLeader
    public final void run() {
    }
  }

  static class PrimitiveJob {

    @OnLeader
    public int count() {
      return 1;
    }
  }

  static class UnknownElectionJob {

    @OnLeader("nightly")
    public void run() {
    }
  }

  static class NamedElectionJob {

    @OnLeader("nightly")
    public String run() {
      return "ran";
    }
  }
}
