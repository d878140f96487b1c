package dev.leaderelection.kubernetes.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.leaderelection.LeaderContext;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.LockReference;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.EventsV1Event;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The Events of a sharded group's moves, as a stand-in API server receives them: on each shard's
 * Lease, named after the shard and its group, budgeted per shard, queued so that the group never
 * waits, and a refusal of all of them one problem, logged once.
 */
class ShardTransitionEventsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private FakeEventsServer server;
  private KubernetesLocks locks;
  private ShardTransitionEvents events;

  @BeforeEach
  void start() throws Exception {
    server = new FakeEventsServer();
    locks = KubernetesLocks.create(new ApiClient().setBasePath(server.basePath()));
    events = locks.shardEvents("tenants", shard -> new LockReference("Lease",
        FakeEventsServer.NAMESPACE, "tenants-" + shard), TIMEOUT);
  }

  @AfterEach
  void stop() {
    locks.close();
    server.close();
  }

  @Test
  void handOffShouldBeRecordedOnTheShardsLeaseNamingTheShardAndTheReason() {
    events.onShardAcquired(3, term("pod-a", 7));
    events.onShardLost(3, term("pod-a", 7), StepDownReason.YIELDED);
    awaitEvents(2);

    assertThat(server.events()).extracting(EventsV1Event::getNote).containsExactly(
        "pod-a became leader of shard 3 of group tenants (fencing token 7)",
        "pod-a stopped leading shard 3 of group tenants: YIELDED (fencing token 7)");
    assertThat(server.events()).extracting(EventsV1Event::getAction)
        .containsExactly("BecameLeader", "StoppedLeading");
    assertThat(server.events()).allSatisfy(event -> {
      assertThat(event.getType()).isEqualTo("Normal");
      assertThat(event.getReason()).isEqualTo(TransitionEvents.REASON);
      assertThat(event.getReportingController()).isEqualTo(TransitionEvents.CONTROLLER);
      assertThat(event.getReportingInstance()).isEqualTo("pod-a");
      assertThat(event.getMetadata().getName()).startsWith("tenants-3.");
      assertThat(event.getRegarding().getKind()).isEqualTo("Lease");
      assertThat(event.getRegarding().getApiVersion()).isEqualTo("coordination.k8s.io/v1");
      assertThat(event.getRegarding().getNamespace()).isEqualTo(FakeEventsServer.NAMESPACE);
      assertThat(event.getRegarding().getName()).isEqualTo("tenants-3");
      assertThat(event.getRegarding().getUid()).isEqualTo("uid-tenants-3");
    });
    assertThat(events.problem()).isEmpty();
  }

  @Test
  void lostTermShouldBeAWarningAndReleaseNormal() {
    events.onShardAcquired(1, term("pod-a", 2));
    events.onShardLost(1, term("pod-a", 2), StepDownReason.RENEW_DEADLINE_EXCEEDED);
    events.onShardAcquired(2, term("pod-a", 5));
    events.onShardLost(2, term("pod-a", 5), StepDownReason.RELEASED);
    awaitEvents(4);

    assertThat(server.events()).extracting(event -> event.getRegarding().getName(),
            EventsV1Event::getType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("tenants-1", "Normal"),
            org.assertj.core.groups.Tuple.tuple("tenants-1", "Warning"),
            org.assertj.core.groups.Tuple.tuple("tenants-2", "Normal"),
            org.assertj.core.groups.Tuple.tuple("tenants-2", "Normal"));
    assertThat(server.events().get(1).getNote())
        .isEqualTo("pod-a stopped leading shard 1 of group tenants: RENEW_DEADLINE_EXCEEDED "
            + "(fencing token 2)");
    assertThat(server.events().get(3).getNote()).contains(": RELEASED (fencing token 5)");
  }

  @Test
  void flappingShardShouldSpendItsOwnBudgetOnly() {
    for (int token = 0; token < EventBudget.BURST + 5; token++) {
      events.onShardAcquired(1, term("pod-a", token));
    }
    events.onShardAcquired(2, term("pod-a", 99));
    // One sender, in order: once shard 2's Event is in, every Event of shard 1 sent is too.
    await().atMost(WAIT).until(() -> server.events().stream()
        .anyMatch(event -> "tenants-2".equals(event.getRegarding().getName())));

    assertThat(server.events()).filteredOn(event -> "tenants-1".equals(
        event.getRegarding().getName())).hasSize(EventBudget.BURST);
    assertThat(server.events()).filteredOn(event -> "tenants-2".equals(
        event.getRegarding().getName())).hasSize(1);
  }

  @Test
  void refusalOfEveryShardShouldBeOneProblemLoggedOnce() {
    server.refuseEvents();
    ListAppender<ILoggingEvent> logged = capture();
    try {
      for (int shard = 0; shard < 5; shard++) {
        events.onShardAcquired(shard, term("pod-a", shard));
      }
      await().atMost(WAIT).until(() -> events.problem().isPresent());
      locks.close(); // sends what still waits, refused too

      assertThat(events.problem().orElseThrow()).contains("group tenants", "HTTP 403",
          "Grant the verb 'create' on 'events' in API group 'events.k8s.io' in namespace '"
              + FakeEventsServer.NAMESPACE + "'", "the group goes on without Events");
      assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.WARN)
          .singleElement().extracting(ILoggingEvent::getFormattedMessage)
          .isEqualTo(events.problem().orElseThrow());
      assertThat(server.events()).isEmpty();
    } finally {
      logger().detachAppender(logged);
    }
  }

  @Test
  void hungApiServerShouldNotDelayTheGroup() {
    server.hangEvents();
    long began = System.nanoTime();

    for (int shard = 0; shard < 10; shard++) {
      events.onShardAcquired(shard, term("pod-a", shard));
      events.onShardLost(shard, term("pod-a", shard), StepDownReason.YIELDED);
    }

    assertThat(Duration.ofNanos(System.nanoTime() - began))
        .as("20 moves queued, none sent").isLessThan(TIMEOUT);
  }

  @Test
  void shardLockThatIsNoKubernetesObjectShouldBeRefusedAtOnce() {
    assertThatIllegalArgumentException().isThrownBy(() -> locks.shardEvents("tenants",
            shard -> new LockReference("etcd", null, "/tenants/" + shard), TIMEOUT))
        .withMessageContaining("not about a etcd");
  }

  private void awaitEvents(int count) {
    await().atMost(WAIT).until(() -> server.events().size() >= count);
  }

  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger().addAppender(appender);
    return appender;
  }

  private static Logger logger() {
    return (Logger) LoggerFactory.getLogger(TransitionEvents.class);
  }

  private static LeaderContext term(String identity, long token) {
    return new LeaderContext() {
      @Override
      public String identity() {
        return identity;
      }

      @Override
      public long fencingToken() {
        return token;
      }

      @Override
      public Instant acquiredAt() {
        return Instant.EPOCH;
      }

      @Override
      public boolean isActive() {
        return false;
      }

      @Override
      public CompletionStage<StepDownReason> ended() {
        return new CompletableFuture<>();
      }
    };
  }
}
