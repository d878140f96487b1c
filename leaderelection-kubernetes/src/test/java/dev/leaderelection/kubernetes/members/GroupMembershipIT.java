package dev.leaderelection.kubernetes.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.RealApiServerTest;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.MembershipListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three replicas, each with a client of its own, join one group's membership on the real API
 * server and watch it. Member TTL 6 s, so renewals come every 2 s and an expiry can come no
 * sooner than 4 s after the last one a watcher could have missed.
 */
class GroupMembershipIT extends RealApiServerTest {

  private static final Duration TTL = Duration.ofSeconds(6);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  /** Identities as the starter makes them: not DNS labels, so their Lease names are hashed. */
  private static final List<String> IDENTITIES =
      List.of("pod-a_1f3e9c2d", "pod-b_0a94be11", "pod-c_77d0e5aa");
  private static final String GROUP = "Tenants (EU)";

  private final List<KubernetesLocks> replicas = new ArrayList<>();
  private final List<AutoCloseable> joins = new ArrayList<>();
  private final List<Recorder> watchers = new ArrayList<>();

  @BeforeEach
  void joinThree() {
    for (String identity : IDENTITIES) {
      KubernetesLocks locks = KubernetesLocks.create(server.adminClient());
      replicas.add(locks);
      GroupMembership membership = locks.groupMembership(namespace, GROUP, TTL, REQUEST_TIMEOUT);
      Recorder recorder = new Recorder();
      membership.watch(recorder);
      watchers.add(recorder);
      joins.add(membership.join(identity));
    }
  }

  @AfterEach
  void closeReplicas() {
    replicas.forEach(KubernetesLocks::close);
  }

  @Test
  void threeMembersShouldEachSeeAllThreeAnnouncedAsLabelledLeases() {
    awaitEveryWatcherSees(Set.copyOf(IDENTITIES));

    JsonObject list = leases();
    assertThat(list.getAsJsonArray("items").asList()).hasSize(3).allSatisfy(item -> {
      JsonObject lease = item.getAsJsonObject();
      assertThat(lease.getAsJsonObject("metadata").getAsJsonObject("annotations")
          .get(MemberNames.GROUP_ANNOTATION).getAsString()).isEqualTo(GROUP);
      assertThat(lease.getAsJsonObject("spec").get("leaseDurationSeconds").getAsInt())
          .isEqualTo(6);
      assertThat(lease.getAsJsonObject("spec").has("renewTime")).isTrue();
    });
    assertThat(list.getAsJsonArray("items").asList()).extracting(item -> item.getAsJsonObject()
            .getAsJsonObject("spec").get("holderIdentity").getAsString())
        .containsExactlyInAnyOrderElementsOf(IDENTITIES);
  }

  @Test
  void memberThatClosesShouldLeaveEveryViewBeforeItCouldHaveExpired() throws Exception {
    awaitEveryWatcherSees(Set.copyOf(IDENTITIES));

    Instant closed = Instant.now();
    joins.get(0).close();

    assertThat(leases().getAsJsonArray("items").asList()).hasSize(2);
    awaitEveryWatcherSees(Set.of(IDENTITIES.get(1), IDENTITIES.get(2)),
        TTL.minus(TTL.dividedBy(3)).minusMillis(500));
    for (Recorder watcher : watchers) {
      Instant left = watcher.firstWithout(IDENTITIES.get(0));
      System.out.printf("graceful leave seen after %d ms%n",
          Duration.between(closed, left).toMillis());
    }
  }

  @Test
  void memberThatStopsRenewingShouldExpireAfterTheTtlAndNotBefore() {
    awaitEveryWatcherSees(Set.copyOf(IDENTITIES));
    String crashed = IDENTITIES.get(2);

    ((MemberAnnouncement) joins.get(2)).abandon();
    Instant lastRenewal = renewTime(MemberNames.leaseName(GROUP, crashed));

    awaitEveryWatcherSees(Set.of(IDENTITIES.get(0), IDENTITIES.get(1)),
        TTL.plus(Duration.ofSeconds(10)));
    for (Recorder watcher : watchers) {
      Duration after = Duration.between(lastRenewal, watcher.firstWithout(crashed));
      System.out.printf("crashed member expired %d ms after its last renewal (TTL %d ms)%n",
          after.toMillis(), TTL.toMillis());
      assertThat(after).isGreaterThanOrEqualTo(TTL);
    }
    assertThat(leases().getAsJsonArray("items").asList()).hasSize(3);
  }

  @Test
  void memberRestartedUnderItsIdentityShouldTakeOverItsLease() throws Exception {
    awaitEveryWatcherSees(Set.copyOf(IDENTITIES));
    ((MemberAnnouncement) joins.get(1)).abandon();

    KubernetesLocks restarted = KubernetesLocks.create(server.adminClient());
    replicas.add(restarted);
    restarted.groupMembership(namespace, GROUP, TTL, REQUEST_TIMEOUT).join(IDENTITIES.get(1));

    String name = MemberNames.leaseName(GROUP, IDENTITIES.get(1));
    Instant before = renewTime(name);
    await().atMost(TTL).until(() -> renewTime(name).isAfter(before));
    assertThat(leases().getAsJsonArray("items").asList()).hasSize(3);
    watchers.forEach(watcher -> assertThat(watcher.latest()).containsAll(IDENTITIES));
  }

  @Test
  void closingTheLocksShouldWithdrawTheirMembers() {
    awaitEveryWatcherSees(Set.copyOf(IDENTITIES));

    replicas.get(0).close();

    await().atMost(Duration.ofSeconds(3)).until(() -> watchers.get(1).latest(),
        Set.of(IDENTITIES.get(1), IDENTITIES.get(2))::equals);
    assertThat(leases().getAsJsonArray("items").asList()).hasSize(2);
  }

  @Test
  void leaseOfAMemberDeadForTenDurationsShouldBeDeletedByAWatcher() {
    GroupMembership shortLived = replicas.get(0).groupMembership(namespace, "short-lived",
        Duration.ofSeconds(1), Duration.ofMillis(500));
    Recorder watcher = new Recorder();
    shortLived.watch(watcher);
    AutoCloseable joined = shortLived.join("pod-z");
    await().atMost(Duration.ofSeconds(30)).until(() -> watcher.latest().contains("pod-z"));
    ((MemberAnnouncement) joined).abandon();
    String lease = "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases/"
        + MemberNames.leaseName("short-lived", "pod-z");
    assertThat(exists(lease)).isTrue();

    await().atMost(Duration.ofSeconds(40)).until(() -> !exists(lease));
    assertThat(watcher.firstWithout("pod-z")).isNotNull();
  }

  private boolean exists(String path) {
    try {
      server.raw("GET", path, null);
      return true;
    } catch (IllegalStateException e) {
      if (e.getMessage().contains("answered 404")) {
        return false;
      }
      throw e;
    }
  }

  private void awaitEveryWatcherSees(Set<String> members) {
    awaitEveryWatcherSees(members, Duration.ofSeconds(30));
  }

  private void awaitEveryWatcherSees(Set<String> members, Duration atMost) {
    await().atMost(atMost).untilAsserted(() -> assertThat(watchers)
        .allSatisfy(watcher -> assertThat(watcher.latest()).isEqualTo(members)));
  }

  private JsonObject leases() {
    return JsonParser.parseString(server.raw("GET", "/apis/coordination.k8s.io/v1/namespaces/"
        + namespace + "/leases?labelSelector=" + MemberNames.labelSelector(GROUP), null))
        .getAsJsonObject();
  }

  private Instant renewTime(String lease) {
    return Instant.parse(JsonParser.parseString(server.raw("GET",
        "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases/" + lease, null))
        .getAsJsonObject().getAsJsonObject("spec").get("renewTime").getAsString());
  }

  /** A watcher: every set delivered, with when it arrived. */
  private static final class Recorder implements MembershipListener {

    private record Delivery(Instant at, Set<String> members) {
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<LeaseLockException> broken = new CopyOnWriteArrayList<>();

    @Override
    public void membersChanged(Set<String> members) {
      deliveries.add(new Delivery(Instant.now(), members));
    }

    @Override
    public void broken(LeaseLockException cause) {
      broken.add(cause);
    }

    Set<String> latest() {
      return deliveries.isEmpty() ? Set.of() : deliveries.get(deliveries.size() - 1).members();
    }

    /** When the first set without {@code identity} arrived after one with it. */
    Instant firstWithout(String identity) {
      boolean seen = false;
      for (Delivery delivery : deliveries) {
        if (delivery.members().contains(identity)) {
          seen = true;
        } else if (seen) {
          return delivery.at();
        }
      }
      throw new AssertionError(identity + " never left: " + deliveries);
    }
  }
}
