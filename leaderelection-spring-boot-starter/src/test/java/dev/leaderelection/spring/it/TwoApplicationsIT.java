package dev.leaderelection.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spring.LeadershipAcquiredEvent;
import dev.leaderelection.spring.LeadershipLostEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two instances of a Spring Boot web application, each with a real web server on a random port,
 * competing for one Lease on a real API server: {@code app-a} is started first and leads,
 * {@code app-b} is this {@code @SpringBootTest}'s context and follows.
 */
@ExtendWith(KubernetesApiServerExtension.class)
@SpringBootTest(classes = ElectionTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"leader-election.identity=app-b", "leader-election.lease-name=shared-lease",
        "leader-election.lease-duration=3s", "leader-election.renew-deadline=2s",
        "leader-election.retry-period=500ms",
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always"})
@DirtiesContext
class TwoApplicationsIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private static KubernetesApiServer server;
  private static Path kubeconfig;
  private static String namespace;
  private static ConfigurableApplicationContext a;

  private final ElectionHealth health = new ElectionHealth();

  @Autowired
  private ConfigurableApplicationContext b;

  @BeforeAll
  static void startTheFirstApplication(KubernetesApiServer apiServer) {
    server = apiServer;
    kubeconfig = apiServer.kubeconfigFile();
    namespace = apiServer.createNamespace("spring");
    a = start("app-a");
    await().atMost(WAIT).until(() -> elector(a).isLeader());
  }

  @AfterAll
  static void closeTheFirstApplication() {
    a.close();
  }

  @DynamicPropertySource
  static void kubernetes(DynamicPropertyRegistry registry) {
    registry.add("KUBECONFIG", () -> kubeconfig.toString());
    registry.add("leader-election.kubernetes.namespace", () -> namespace);
  }

  @Test
  void exactlyOneApplicationShouldLeadAndHandOverWhenItsContextCloses() throws Exception {
    await().atMost(WAIT).until(() -> elector(b).leader().isPresent());
    assertThat(elector(a).isLeader()).isTrue();

    assertThat(recorder(a).of(LeadershipAcquiredEvent.class)).singleElement()
        .satisfies(event -> {
          assertThat(event.election()).isEqualTo("default");
          assertThat(event.identity()).isEqualTo("app-a");
        });
    int sweeps = sweeper(a).runs();
    await().atMost(WAIT).until(() -> sweeper(a).runs() > sweeps + 5);
    assertThat(recorder(b).of(LeadershipAcquiredEvent.class)).isEmpty();
    assertThat(sweeper(b).runs()).isZero();
    assertThat(consumer(a).isRunning()).isTrue();
    assertThat(consumer(b).isRunning()).isFalse();

    JsonObject leaderHealth = health.of(a, 200);
    JsonObject followerHealth = health.of(b, 200);
    assertThat(leaderHealth.get("status").getAsString()).isEqualTo("UP");
    assertThat(ElectionHealth.detail(leaderHealth, "role")).isEqualTo("LEADER");
    assertThat(ElectionHealth.detail(leaderHealth, "leader")).isEqualTo("app-a");
    assertThat(ElectionHealth.detail(leaderHealth, "lease"))
        .isEqualTo("Lease " + namespace + "/shared-lease");
    assertThat(ElectionHealth.detail(followerHealth, "role")).isEqualTo("FOLLOWER");
    assertThat(ElectionHealth.detail(followerHealth, "leader")).isEqualTo("app-a");
    assertThat(followerHealth.toString()).doesNotContain("token");

    AtomicReference<LeaderRecord> whileClosing = new AtomicReference<>();
    ((DefaultListableBeanFactory) a.getBeanFactory()).registerDisposableBean("leaseWatcher",
        () -> whileClosing.set(readLease()));
    ElectionTestApplication.EventRecorder recorderOfA = recorder(a);
    ElectionTestApplication.QueueConsumer consumerOfA = consumer(a);
    a.close();

    assertThat(recorderOfA.of(LeadershipLostEvent.class)).singleElement()
        .satisfies(event -> assertThat(event.reason()).isEqualTo(StepDownReason.RELEASED));
    assertThat(whileClosing.get().holderIdentity())
        .as("holder when the context destroyed its beans").isNotEqualTo("app-a");
    assertThat(consumerOfA.isRunning()).isFalse();
    await().atMost(WAIT).until(() -> !recorder(b).of(LeadershipAcquiredEvent.class).isEmpty());
    assertThat(consumer(b).isRunning()).isTrue();
    assertThat(ElectionHealth.detail(health.of(b, 200), "role")).isEqualTo("LEADER");
  }

  private static ConfigurableApplicationContext start(String identity) {
    // Command-line arguments outrank the environment: an ambient KUBECONFIG cannot win.
    return new SpringApplicationBuilder(ElectionTestApplication.class).run(
        "--server.port=0",
        "--KUBECONFIG=" + kubeconfig,
        "--leader-election.lease-name=shared-lease",
        "--leader-election.kubernetes.namespace=" + namespace,
        "--leader-election.identity=" + identity,
        "--leader-election.lease-duration=3s",
        "--leader-election.renew-deadline=2s",
        "--leader-election.retry-period=500ms",
        "--management.endpoints.web.exposure.include=health",
        "--management.endpoint.health.show-details=always");
  }

  private LeaderRecord readLease() {
    return KubernetesLocks.create(server.adminClient()).lease(namespace, "shared-lease",
        Duration.ofSeconds(5)).get().orElseThrow();
  }

  private static LeaderElector elector(ConfigurableApplicationContext context) {
    return context.getBean(LeaderElector.class);
  }

  private static ElectionTestApplication.EventRecorder recorder(
      ConfigurableApplicationContext context) {
    return context.getBean(ElectionTestApplication.EventRecorder.class);
  }

  private static ElectionTestApplication.Sweeper sweeper(ConfigurableApplicationContext context) {
    return context.getBean(ElectionTestApplication.Sweeper.class);
  }

  private static ElectionTestApplication.QueueConsumer consumer(
      ConfigurableApplicationContext context) {
    return context.getBean(ElectionTestApplication.QueueConsumer.class);
  }
}
