package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.etcd.testing.EtcdLauncherExtension;
import dev.leaderelection.etcd.testing.EtcdServer;
import dev.leaderelection.spi.MembershipListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.LeaseOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three replicas' memberships of one group on a real etcd, each with a jetcd client of its own:
 * they see each other join, a graceful leave at once, a replica cut off from etcd leave when its
 * lease expires (not before), a lost lease announced again, and the whole set again after etcd
 * restarts.
 */
@ExtendWith(EtcdLauncherExtension.class)
class EtcdGroupMembershipIT {

  private static final Duration TTL = Duration.ofSeconds(6);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
  /** Far below the TTL: a graceful leave is seen at once, not when a lease expires. */
  private static final Duration PROMPTLY = Duration.ofSeconds(2);
  private static final Set<String> ALL = Set.of("a", "b", "c");

  private final String group = "members-" + UUID.randomUUID();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Map<String, Recorder> watchers = new LinkedHashMap<>();
  private final Map<String, AutoCloseable> joins = new LinkedHashMap<>();
  private final Map<String, Client> clients = new LinkedHashMap<>();
  private EtcdServer server;
  private Client admin;

  @BeforeEach
  void startEtcd(EtcdLauncher launcher) {
    server = launcher.start();
    admin = server.client();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    admin.close();
    server.close();
  }

  @Test
  void everyWatcherShouldSeeAllThreeJoinAndAGracefulLeaveAtOnce() throws Exception {
    joinAll();

    long leaving = System.nanoTime();
    joins.get("a").close();
    long left = System.nanoTime();

    assertThat(Duration.ofNanos(left - leaving)).isLessThan(REQUEST_TIMEOUT.plusSeconds(1));
    await().atMost(PROMPTLY).untilAsserted(() -> watchers.values().forEach(watcher ->
        assertThat(watcher.last()).isEqualTo(Set.of("b", "c"))));
    System.out.printf("graceful leave: seen by every watcher %d ms after close()%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - leaving));
    assertThat(key("a")).isEmpty();
    joins.get("a").close(); // idempotent
    assertThat(watchers.get("b").last()).isEqualTo(Set.of("b", "c"));
  }

  @Test
  void memberCutOffFromEtcdShouldLeaveWhenItsLeaseExpiresNotBefore() {
    joinAll();
    long lease = key("c").orElseThrow().getLease();

    clients.get("c").close(); // no more keep-alives, and no revoke
    long cut = System.nanoTime();
    long remaining = admin.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT).join()
        .getTTL();
    long measured = System.nanoTime();
    Duration stillMember = Duration.ofSeconds(remaining).minusMillis(500);

    assertThat(remaining).isPositive().isLessThanOrEqualTo(TTL.toSeconds());
    await().during(stillMember).atMost(stillMember.plusSeconds(2))
        .untilAsserted(() -> assertThat(watchers.get("a").last()).contains("c"));
    await().atMost(Duration.ofSeconds(4)).untilAsserted(() ->
        List.of("a", "b").forEach(name ->
            assertThat(watchers.get(name).last()).isEqualTo(Set.of("a", "b"))));
    long gone = System.nanoTime();
    System.out.printf("cut off: etcd gave the lease %d s more %d ms after the cut; the others "
        + "saw the member leave %d ms after the cut (TTL %d s)%n", remaining,
        TimeUnit.NANOSECONDS.toMillis(measured - cut),
        TimeUnit.NANOSECONDS.toMillis(gone - cut), TTL.toSeconds());
    assertThat(Duration.ofNanos(gone - measured)).isGreaterThanOrEqualTo(stillMember);
    assertThat(key("c")).isEmpty();
  }

  @Test
  void memberWhoseLeaseIsLostShouldAnnounceItselfAgainOnANewLease() {
    joinAll();
    long lease = key("c").orElseThrow().getLease();

    admin.getLeaseClient().revoke(lease).join(); // as if it expired while c was cut off

    await().atMost(PROMPTLY).untilAsserted(() ->
        assertThat(watchers.get("a").sets()).contains(Set.of("a", "b")));
    Duration keepAlive = MemberAnnouncement.keepAliveInterval(TTL.toSeconds());
    await().atMost(keepAlive.plus(PROMPTLY)).untilAsserted(() ->
        watchers.values().forEach(watcher -> assertThat(watcher.last()).isEqualTo(ALL)));
    assertThat(key("c")).hasValueSatisfying(value ->
        assertThat(value.getLease()).isNotZero().isNotEqualTo(lease));
  }

  @Test
  void watchShouldRecoverFromAnEtcdRestartAndDeliverTheWholeSetAgain() {
    joinAll();

    server.stop();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        watchers.values().forEach(watcher -> assertThat(watcher.broken()).isPositive()));
    server.restart();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        watchers.values().forEach(watcher ->
            assertThat(watcher.setsAfterFirstBreak()).contains(ALL)));
    assertThat(watchers.values()).allSatisfy(watcher ->
        assertThat(watcher.last()).isEqualTo(ALL));
    assertThat(List.of("a", "b", "c")).allSatisfy(name -> assertThat(key(name)).isPresent());
  }

  /** Three replicas, each with a client of its own, join and watch; all see all three. */
  private void joinAll() {
    for (String name : List.of("a", "b", "c")) {
      Client client = Client.builder().endpoints(server.endpoint()).build();
      resources.add(client);
      clients.put(name, client);
      EtcdGroupMembership membership = EtcdLeaseLock.builder(group).client(client)
          .requestTimeout(REQUEST_TIMEOUT).buildGroupMembership(TTL);
      resources.add(membership);
      Recorder recorder = new Recorder();
      watchers.put(name, recorder);
      resources.add(membership.watch(recorder));
      joins.put(name, membership.join(name));
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        watchers.values().forEach(watcher -> assertThat(watcher.last()).isEqualTo(ALL)));
  }

  private Optional<KeyValue> key(String identity) {
    String key = "/leaderelection/groups/" + group + "/members/" + identity;
    return admin.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8)).join()
        .getKvs().stream().findFirst();
  }

  /** Every set and break a watch delivered, in order. */
  private static final class Recorder implements MembershipListener {

    private static final String BROKEN = "broken";
    private final List<Object> calls = new CopyOnWriteArrayList<>();

    @Override
    public void membersChanged(Set<String> members) {
      calls.add(members);
    }

    @Override
    public void broken(LeaseLockException cause) {
      calls.add(BROKEN);
    }

    Set<String> last() {
      for (int i = calls.size() - 1; i >= 0; i--) {
        if (calls.get(i) instanceof Set<?> set) {
          return set.stream().map(String.class::cast).collect(Collectors.toSet());
        }
      }
      return Set.of();
    }

    List<Object> sets() {
      return calls.stream().filter(call -> call instanceof Set<?>).toList();
    }

    long broken() {
      return calls.stream().filter(BROKEN::equals).count();
    }

    List<Object> setsAfterFirstBreak() {
      int first = calls.indexOf(BROKEN);
      return first < 0 ? List.of() : calls.subList(first, calls.size()).stream()
          .filter(call -> call instanceof Set<?>).toList();
    }
  }
}
