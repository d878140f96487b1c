package dev.leaderelection.spring.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.autoconfigure.ElectionContributor;
import dev.leaderelection.spring.autoconfigure.StarterContexts;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code leaderelection} endpoint: there when exposed, gone when not, the user's wins. */
class LeaderElectionEndpointAutoConfigurationTests {

  private final ApplicationContextRunner runner = StarterContexts.runner()
      .withPropertyValues("management.endpoints.web.exposure.include=leaderelection");

  @Test
  void exposedEndpointShouldDescribeTheElection() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(LeaderElectionEndpoint.class);
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(Duration.ofSeconds(5)).until(elector::isLeader);

      ElectionDescriptor election = context.getBean(LeaderElectionEndpoint.class).elections()
          .elections().get("default");
      assertThat(election.role()).isEqualTo("LEADER");
      assertThat(election.fencingToken()).isZero();
      assertThat(election.lock().name()).isEqualTo("my-app");
    });
  }

  @Test
  void electionDetailsShouldShowWhatTheStarterAddsToHealthSuchAsACoordinationStall() {
    ElectionContributor stalled = new ElectionContributor() {
      @Override
      public java.util.Map<String, Object> healthDetails(String election) {
        return java.util.Map.of("coordinationStall", "the preferred holder 'b' is gone");
      }
    };
    runner.withBean(ElectionContributor.class, () -> stalled).run(context -> {
      assertThat(context).hasNotFailed();
      LeaderElectionEndpoint endpoint = context.getBean(LeaderElectionEndpoint.class);
      assertThat(endpoint.election("default").details())
          .containsEntry("coordinationStall", "the preferred holder 'b' is gone");
      assertThat(endpoint.elections().elections().get("default").details())
          .containsEntry("coordinationStall", "the preferred holder 'b' is gone");
    });
  }

  @Test
  void endpointThatIsNotExposedShouldNotBeCreated() {
    StarterContexts.runner().run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(LeaderElectionEndpoint.class));
  }

  @Test
  void endpointWithNoAccessShouldNotBeCreated() {
    runner.withPropertyValues("management.endpoint.leaderelection.access=NONE").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(LeaderElectionEndpoint.class));
  }

  @Test
  void withoutActuatorTheApplicationShouldStartWithoutTheEndpoint() {
    runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(LeaderElector.class)
            .doesNotHaveBean(LeaderElectionEndpoint.class));
  }

  @Test
  void disabledElectionsShouldCreateNoEndpoint() {
    runner.withPropertyValues("leader-election.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(LeaderElectionEndpoint.class));
  }
}
