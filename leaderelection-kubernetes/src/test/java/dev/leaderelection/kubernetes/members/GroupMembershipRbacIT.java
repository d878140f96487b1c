package dev.leaderelection.kubernetes.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.RealApiServerTest;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.MembershipListener;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group membership as users with the documented Role and with too little of it. */
class GroupMembershipRbacIT extends RealApiServerTest {

  private static final Duration TTL = Duration.ofSeconds(6);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private KubernetesLocks locks;

  @AfterEach
  void closeLocks() {
    if (locks != null) {
      locks.close();
    }
  }

  @Test
  void userWithTheDocumentedVerbsShouldJoinWatchAndLeave() throws Exception {
    grant("members", "member-user", """
        [{"apiGroups":["coordination.k8s.io"],"resources":["leases"],
          "verbs":["create","get","update","delete","list","watch"]}]""");
    GroupMembership membership = membershipAs("member-user");
    Recorder recorder = new Recorder();
    membership.watch(recorder);

    AutoCloseable joined = membership.join("pod-a");
    await().atMost(Duration.ofSeconds(30)).until(() -> recorder.latest().equals(Set.of("pod-a")));
    joined.close();

    await().atMost(Duration.ofSeconds(3)).until(() -> recorder.latest().isEmpty());
    assertThat(recorder.broken).isEmpty();
  }

  @Test
  void userWithoutListAndWatchShouldBeToldBothVerbsThenGetTheWholeSetOnceGranted() {
    grant("no-list", "no-list-user", """
        [{"apiGroups":["coordination.k8s.io"],"resources":["leases"],
          "verbs":["create","get","update","delete"]}]""");
    GroupMembership membership = membershipAs("no-list-user");
    Recorder recorder = new Recorder();
    membership.watch(recorder);
    membership.join("pod-a");

    await().atMost(Duration.ofSeconds(30)).until(() -> !recorder.broken.isEmpty());
    assertThat(recorder.broken.get(0)).isInstanceOf(KubernetesApiException.class)
        .hasMessageContaining("Grant the verbs 'list' and 'watch' on 'leases'");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(server.raw("GET",
        "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases/"
            + MemberNames.leaseName("tenants", "pod-a"), null)).contains("\"pod-a\""));
    assertThat(recorder.latest()).isEmpty();

    grant("list-watch", "no-list-user", """
        [{"apiGroups":["coordination.k8s.io"],"resources":["leases"],
          "verbs":["list","watch"]}]""");

    await().atMost(Duration.ofSeconds(60)).until(() -> recorder.latest().equals(Set.of("pod-a")));
  }

  private GroupMembership membershipAs(String user) {
    locks = KubernetesLocks.create(server.clientAs(user));
    return locks.groupMembership(namespace, "tenants", TTL, REQUEST_TIMEOUT);
  }

  /** A watcher: the last set delivered, and every failure. */
  private static final class Recorder implements MembershipListener {

    private volatile Set<String> latest = Set.of();
    private final List<LeaseLockException> broken = new CopyOnWriteArrayList<>();

    @Override
    public void membersChanged(Set<String> members) {
      latest = members;
    }

    @Override
    public void broken(LeaseLockException cause) {
      broken.add(cause);
    }

    Set<String> latest() {
      return latest;
    }
  }
}
