package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.spring.LeadershipLostEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

/** The electors follow the context: stop pauses, start resumes, and readiness when asked. */
class LeaderElectionLifecycleTests {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<LeadershipLostEvent> lost = new CopyOnWriteArrayList<>();
  private final ApplicationContextRunner runner = StarterContexts.runner()
      .withPropertyValues("leader-election.retry-period=200ms",
          "leader-election.renew-deadline=1s", "leader-election.lease-duration=2s")
      .withBean("lostEvents", ApplicationListener.class,
          () -> (ApplicationListener<LeadershipLostEvent>) lost::add);

  @Test
  void stoppedContextShouldReleaseAndStartedAgainShouldLeadAgain() {
    runner.run(context -> {
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(WAIT).until(elector::isLeader);

      context.stop();
      assertThat(elector.isLeader()).isFalse();
      assertThat(elector.isPaused()).isTrue();
      assertThat(elector.lock().get().orElseThrow().isHeld()).as("released").isFalse();
      assertThat(lost).singleElement()
          .satisfies(event -> assertThat(event.reason()).isEqualTo(StepDownReason.YIELDED));

      context.start();
      await().atMost(WAIT).until(elector::isLeader);
      assertThat(elector.isPaused()).isFalse();
    });
  }

  @Test
  void waitingForReadinessShouldCompeteOnlyWhileAcceptingTraffic() {
    runner.withPropertyValues("leader-election.wait-for-readiness=true")
        .withBean(ApplicationAvailabilityBean.class)
        .run(context -> {
          LeaderElector elector = context.getBean(LeaderElector.class);
          await("not ready: no claim at all").during(Duration.ofMillis(600)).atMost(WAIT)
              .until(() -> !elector.isLeader() && elector.lock().get().isEmpty());

          AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
          await().atMost(WAIT).until(elector::isLeader);

          AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
          await().atMost(WAIT).until(() -> !elector.lock().get().orElseThrow().isHeld());
          assertThat(elector.isLeader()).isFalse();

          AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
          await().atMost(WAIT).until(elector::isLeader);
        });
  }

  @Test
  void readinessShouldNotMatterUnlessAskedFor() {
    runner.withBean(ApplicationAvailabilityBean.class).run(context -> {
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(WAIT).until(elector::isLeader);

      AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);

      assertThat(elector.isLeader()).isTrue();
      assertThat(elector.isPaused()).isFalse();
    });
  }
}
