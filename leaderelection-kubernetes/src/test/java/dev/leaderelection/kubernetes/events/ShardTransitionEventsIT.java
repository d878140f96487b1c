package dev.leaderelection.kubernetes.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.RealApiServerTest;
import dev.leaderelection.spi.LockReference;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.EventsV1Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Events of a shard handed off to balance a group, read back from the real API server: one
 * replica owns both shards of a group, a second joins, and the shard that moves shows on its
 * Lease as given up by the first (YIELDED) and taken by the second. Timings 3s / 2s / 500ms.
 */
class ShardTransitionEventsIT extends RealApiServerTest {

  private static final String GROUP = "tenants";
  private static final LeaseTimings TIMINGS = LeaseTimings.of(Duration.ofSeconds(3),
      Duration.ofSeconds(2), Duration.ofMillis(500));
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<KubernetesLocks> replicas = new ArrayList<>();
  private final List<ShardGroup> groups = new ArrayList<>();

  @AfterEach
  void closeReplicas() {
    groups.forEach(ShardGroup::close);
    replicas.forEach(KubernetesLocks::close);
  }

  @Test
  void handOffShouldBeRecordedOnTheMovedShardsLease() throws Exception {
    ShardGroup a = join("pod-a");
    await().atMost(WAIT).until(() -> a.ownedShards().size() == 2);
    ShardGroup b = join("pod-b");
    await().atMost(WAIT).until(() -> a.ownedShards().size() == 1
        && b.ownedShards().size() == 1);
    int moved = b.ownedShards().first();
    String lease = GROUP + "-" + moved;

    List<EventsV1Event> events = await().atMost(WAIT).until(() -> events(lease),
        recorded -> recorded.size() >= 3);

    assertThat(events).extracting(EventsV1Event::getNote).containsExactly(
        "pod-a became leader of shard " + moved + " of group tenants (fencing token 0)",
        "pod-a stopped leading shard " + moved + " of group tenants: YIELDED (fencing token 0)",
        "pod-b became leader of shard " + moved + " of group tenants (fencing token 1)");
    assertThat(events).extracting(EventsV1Event::getReportingInstance)
        .containsExactly("pod-a", "pod-a", "pod-b");
    String uid = new CoordinationV1Api(server.adminClient()).readNamespacedLease(lease,
        namespace).execute().getMetadata().getUid();
    assertThat(events).allSatisfy(event -> {
      assertThat(event.getType()).isEqualTo("Normal");
      assertThat(event.getReason()).isEqualTo("LeaderElection");
      assertThat(event.getReportingController()).isEqualTo(TransitionEvents.CONTROLLER);
      assertThat(event.getRegarding().getKind()).isEqualTo("Lease");
      assertThat(event.getRegarding().getUid()).isEqualTo(uid);
    });
    int kept = a.ownedShards().first();
    assertThat(events(GROUP + "-" + kept)).extracting(EventsV1Event::getNote)
        .as("the shard that stayed moved once, to pod-a").containsExactly(
            "pod-a became leader of shard " + kept + " of group tenants (fencing token 0)");
  }

  private ShardGroup join(String identity) {
    KubernetesLocks locks = KubernetesLocks.create(server.adminClient());
    replicas.add(locks);
    ShardGroup group = ShardGroup.builder(GROUP, 2,
            shard -> locks.lease(namespace, GROUP + "-" + shard, REQUEST_TIMEOUT),
            locks.groupMembership(namespace, GROUP, TIMINGS.leaseDuration(), REQUEST_TIMEOUT),
            identity)
        .listener(locks.shardEvents(GROUP,
            shard -> new LockReference("Lease", namespace, GROUP + "-" + shard),
            REQUEST_TIMEOUT))
        .electorCustomizer((shard, elector) -> elector.timings(TIMINGS)).build();
    groups.add(group);
    group.start();
    return group;
  }

  private List<EventsV1Event> events(String lease) throws Exception {
    return new EventsV1Api(server.adminClient()).listNamespacedEvent(namespace).execute()
        .getItems().stream()
        .filter(event -> lease.equals(event.getRegarding().getName()))
        .sorted(Comparator.comparing(EventsV1Event::getEventTime))
        .toList();
  }
}
