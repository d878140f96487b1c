package dev.leaderelection.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.spring.LeadershipAcquiredEvent;
import dev.leaderelection.spring.LeadershipEvent;
import dev.leaderelection.spring.LeadershipLostEvent;
import dev.leaderelection.spring.OnLeader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The test kit as users meet it: a {@code @SpringBootTest} whose elections are configured for
 * Kubernetes Leases, turned into in-memory ones, then led and followed on demand.
 */
@SpringBootTest(classes = LeadershipControlTests.Application.class, properties = {
    "leader-election.lease-name=my-app", "leader-election.lock=lease",
    "leader-election.elections.reports.lease-name=reports", "KUBECONFIG=",
    "KUBERNETES_SERVICE_HOST=", "management.endpoint.health.show-details=always"})
@AutoConfigureLeadershipControl
@DirtiesContext
class LeadershipControlTests {

  @Autowired
  private LeadershipControl leadership;

  @Autowired
  private Application.Job job;

  @Autowired
  private Application.Events events;

  @Autowired
  private LeaderElector leaderElector;

  @Autowired
  @Qualifier("reportsLeaderElector")
  private LeaderElector reportsElector;

  @Autowired
  private HealthEndpoint health;

  @Test
  void everyElectionShouldBeInMemoryAndLedFromTheStart() {
    leadership.grant();
    leadership.grant("reports");

    assertThat(leaderElector.lock().describe()).isEqualTo("in-memory lock default");
    assertThat(reportsElector.lock().describe()).isEqualTo("in-memory lock reports");
    assertThat(leaderElector.isLeader()).isTrue();
    assertThat(job.run()).isEqualTo("ran");
  }

  @Test
  void revokeShouldMakeThisInstanceFollowAnotherAndGrantShouldMakeItLeadAgain() {
    leadership.grant();
    events.clear();

    leadership.revoke();

    assertThat(leaderElector.isLeader()).isFalse();
    assertThat(leaderElector.leader()).contains(LeadershipControl.OTHER_INSTANCE);
    assertThat(job.run()).as("@OnLeader skips the call on a follower").isNull();
    assertThat(events.of(LeadershipLostEvent.class)).singleElement()
        .satisfies(lost -> assertThat(lost.reason()).isEqualTo(StepDownReason.YIELDED));
    assertThat(((IndicatedHealthDescriptor) health.healthForPath("leaderElection", "default"))
        .getDetails()).containsEntry("role", "FOLLOWER")
        .containsEntry("leader", LeadershipControl.OTHER_INSTANCE);

    long before = events.of(LeadershipLostEvent.class).get(0).fencingToken();
    leadership.grant();

    assertThat(leaderElector.isLeader()).isTrue();
    assertThat(job.run()).isEqualTo("ran");
    assertThat(events.of(LeadershipAcquiredEvent.class)).singleElement()
        .satisfies(acquired -> assertThat(acquired.fencingToken()).isGreaterThan(before));
  }

  @Test
  void revokingOneElectionShouldLeaveTheOthersAlone() {
    leadership.grant();
    leadership.revoke("reports");

    assertThat(reportsElector.isLeader()).isFalse();
    assertThat(leaderElector.isLeader()).isTrue();
    leadership.grant("reports");
    assertThat(reportsElector.isLeader()).isTrue();
  }

  @Test
  void unknownElectionShouldFailNamingIt() {
    assertThatIllegalArgumentException().isThrownBy(() -> leadership.grant("nope"))
        .withMessage("No election named 'nope' is configured");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {

    @Bean
    Job job() {
      return new Job();
    }

    @Bean
    Events events() {
      return new Events();
    }

    /** Leader-only work. */
    static class Job {

      @OnLeader
      public String run() {
        return "ran";
      }
    }

    /** Every leadership event of the default election. */
    static class Events {

      private final List<LeadershipEvent> received = new CopyOnWriteArrayList<>();

      @EventListener
      void on(LeadershipEvent event) {
        if (event.election().equals("default")) {
          received.add(event);
        }
      }

      <T extends LeadershipEvent> List<T> of(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
      }

      void clear() {
        received.clear();
      }
    }
  }
}
