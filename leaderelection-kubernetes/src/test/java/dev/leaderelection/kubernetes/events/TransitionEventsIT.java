package dev.leaderelection.kubernetes.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.CrashableLock;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.kubernetes.RealApiServerTest;
import dev.leaderelection.spi.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.EventsV1Event;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes Events on the Lease at every transition, read back from the real API server as
 * {@code kubectl get events} and {@code kubectl describe lease} read them, and an identity that
 * may not create Events, whose election goes on.
 */
class TransitionEventsIT extends RealApiServerTest {

  private static final String LEASE = "events-lease";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void handoverAndTakeoverAfterALostTermShouldBeRecordedOnTheLease() throws Exception {
    ApiClient admin = server.adminClient();
    LeaderElector a = start("a", fixture.lease(admin, namespace, LEASE));
    await().atMost(WAIT).until(a::isLeader);
    CrashableLock partitioned = new CrashableLock(fixture.lease(admin, namespace, LEASE));
    LeaderElector b = start("b", partitioned);
    await().atMost(WAIT).until(() -> b.leader().isPresent());

    a.close();
    await().atMost(WAIT).until(b::isLeader);
    LeaderElector c = start("c", fixture.lease(admin, namespace, LEASE));
    await().atMost(WAIT).until(() -> c.leader().isPresent());
    partitioned.crash();
    await().atMost(WAIT).until(c::isLeader);

    List<EventsV1Event> events = await().atMost(WAIT).until(this::events,
        recorded -> recorded.size() >= 5);
    assertThat(events).extracting(EventsV1Event::getNote).containsExactly(
        "a became leader (fencing token 0)",
        "a stopped leading: RELEASED (fencing token 0)",
        "b became leader (fencing token 1)",
        "b stopped leading: RENEW_DEADLINE_EXCEEDED (fencing token 1)",
        "c became leader (fencing token 2)");
    assertThat(events).extracting(EventsV1Event::getType)
        .containsExactly("Normal", "Normal", "Normal", "Warning", "Normal");
    assertThat(events).extracting(EventsV1Event::getReportingInstance)
        .containsExactly("a", "a", "b", "b", "c");
    String uid = new CoordinationV1Api(admin).readNamespacedLease(LEASE, namespace).execute()
        .getMetadata().getUid();
    assertThat(events).allSatisfy(event -> {
      assertThat(event.getReason()).isEqualTo("LeaderElection");
      assertThat(event.getReportingController()).isEqualTo(TransitionEvents.CONTROLLER);
      assertThat(event.getRegarding().getKind()).isEqualTo("Lease");
      assertThat(event.getRegarding().getApiVersion()).isEqualTo("coordination.k8s.io/v1");
      assertThat(event.getRegarding().getName()).isEqualTo(LEASE);
      assertThat(event.getRegarding().getUid()).isEqualTo(uid);
    });
    // kubectl describe lease finds a Lease's Events by its kind, name and uid.
    List<CoreV1Event> described = new CoreV1Api(admin).listNamespacedEvent(namespace)
        .fieldSelector("involvedObject.kind=Lease,involvedObject.name=" + LEASE
            + ",involvedObject.uid=" + uid).execute().getItems();
    assertThat(described).hasSize(5);
  }

  @Test
  void identityThatMayNotCreateEventsShouldLeadAndBeToldWhatToGrant() {
    grant("no-events", "no-events-user", """
        [{"apiGroups":["coordination.k8s.io"],"resources":["leases"],
          "verbs":["get","create","update","watch"]}]""");
    ApiClient client = server.clientAs("no-events-user");
    TransitionEvents events = fixture.locks(client).events(
        new dev.leaderelection.spi.LockReference("Lease", namespace, LEASE), Duration.ofSeconds(1));
    LeaderElector elector = fixture.start("no-events-user", fixture.lease(client, namespace,
        LEASE), builder -> builder.listener(events));

    await().atMost(WAIT).until(elector::isLeader);
    await().atMost(WAIT).until(() -> events.problem().isPresent());

    assertThat(events.problem().orElseThrow()).contains("HTTP 403",
        "Grant the verb 'create' on 'events' in API group 'events.k8s.io' in namespace '"
            + namespace + "'", "the election goes on without Events");
    assertThat(elector.isLeader()).isTrue();
    assertThat(elector.lastFailure()).isEmpty();
  }

  private LeaderElector start(String identity, LeaseLock lock) {
    TransitionEvents events = fixture.locks(server.adminClient())
        .events(lock.reference(), Duration.ofSeconds(1));
    return fixture.start(identity, lock, builder -> builder.listener(events));
  }

  private List<EventsV1Event> events() throws Exception {
    return new EventsV1Api(server.adminClient()).listNamespacedEvent(namespace).execute()
        .getItems().stream()
        .filter(event -> LEASE.equals(event.getRegarding().getName()))
        .sorted(Comparator.comparing(EventsV1Event::getEventTime))
        .toList();
  }
}
