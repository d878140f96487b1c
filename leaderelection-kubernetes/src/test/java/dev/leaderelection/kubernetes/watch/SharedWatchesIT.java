package dev.leaderelection.kubernetes.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.RealApiServerTest;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import io.kubernetes.client.openapi.ApiClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lease watches of many locks on one API client, against the real API server. Public for its
 * {@link Changes}, which {@code RbacIT} uses too.
 */
public class SharedWatchesIT extends RealApiServerTest {

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final List<AutoCloseable> watches = new ArrayList<>();

  @AfterEach
  void closeWatches() throws Exception {
    for (AutoCloseable watch : watches) {
      watch.close();
    }
  }

  @Test
  void locksOnSeveralLeasesShouldShareOneWatchThreadAndSeeOnlyTheirOwnLease() throws Exception {
    ApiClient client = server.adminClient();
    List<LeaseLock> locks = new ArrayList<>();
    List<Changes> changes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      LeaseLock lock = fixture.lease(client, namespace, "shared-" + i);
      locks.add(lock);
      changes.add(watch(lock));
      lock.create(heldBy("holder-" + i));
    }
    for (int i = 0; i < 5; i++) {
      Changes seen = changes.get(i);
      String holder = "holder-" + i;
      await().atMost(PATIENCE).until(() -> seen.holders().contains(holder));
    }
    assertThat(watchThreads()).containsExactly(
        "leader-election-watch leases.coordination.k8s.io in namespace " + namespace);

    LeaderRecord current = locks.get(2).get().orElseThrow();
    locks.get(2).update(heldBy("holder-2-next").withVersion(current.version()));

    await().atMost(PATIENCE).until(() -> changes.get(2).holders().contains("holder-2-next"));
    for (int i = 0; i < 5; i++) {
      String own = "holder-" + i;
      assertThat(changes.get(i).holders()).as("what the watch of lease %d delivered", i)
          .allMatch(holder -> holder.equals(own) || holder.equals(own + "-next"));
      assertThat(changes.get(i).broken).isEmpty();
    }

    closeWatches();
    watches.clear();
    await().atMost(PATIENCE).until(() -> watchThreads().isEmpty());
  }

  @Test
  void lockJoiningARunningWatchShouldReceiveTheCurrentRecordAtOnce() {
    ApiClient client = server.adminClient();
    for (int i = 0; i < 2; i++) {
      LeaseLock lock = fixture.lease(client, namespace, "joined-" + i);
      lock.create(heldBy("holder-" + i));
      Changes seen = watch(lock);
      String holder = "holder-" + i;
      await().atMost(PATIENCE).until(() -> seen.holders().contains(holder));
    }

    Changes joining = watch(fixture.lease(client, namespace, "joined-0"));

    assertThat(joining.holders()).as("delivered while subscribing").containsExactly("holder-0");
  }

  @Test
  void namespaceWatchShouldKeepOnlyTheLeasesItsLocksElectOn() {
    ApiClient client = server.adminClient();
    List<LeaseLock> locks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      LeaseLock lock = fixture.lease(client, namespace, "kept-" + i);
      lock.create(heldBy("holder-" + i));
      locks.add(lock);
    }
    Changes first = watch(locks.get(0));
    Changes second = watch(locks.get(1));
    await().atMost(PATIENCE).until(() -> second.connections > 0);

    for (LeaseLock lock : locks) {
      lock.update(heldBy("next").withVersion(lock.get().orElseThrow().version()));
    }

    await().atMost(PATIENCE).until(() -> first.holders().contains("next")
        && second.holders().contains("next"));
    assertThat(fixture.watchedObjectsKept(client)).isEqualTo(2);
  }

  @Test
  void deletedLeaseShouldBeDeliveredAsEmpty() {
    ApiClient client = server.adminClient();
    LeaseLock first = fixture.lease(client, namespace, "deleted-0");
    LeaseLock second = fixture.lease(client, namespace, "deleted-1");
    first.create(heldBy("holder-0"));
    second.create(heldBy("holder-1"));
    Changes seen = watch(first);
    watch(second);
    await().atMost(PATIENCE).until(() -> seen.holders().contains("holder-0"));

    server.raw("DELETE", "/apis/coordination.k8s.io/v1/namespaces/" + namespace
        + "/leases/deleted-0", null);

    await().atMost(PATIENCE).until(() -> seen.records.contains(Optional.empty()));
  }

  @Test
  void watchShouldResumeFromTheLastVersionWhenTheServerEndsIt() throws Exception {
    watchShouldResume(server.adminClient());
  }

  @Test
  void watchOverHttp11ShouldOutlastTheRequestTimeoutAndResume() throws Exception {
    ApiClient client = server.adminClient();
    client.setHttpClient(client.getHttpClient().newBuilder()
        .protocols(List.of(Protocol.HTTP_1_1)).build());
    watchShouldResume(client);
  }

  @Test
  void watchOnAServerThatNeverAnswersShouldFailWithinTheRequestTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ApiClient client = new ApiClient().setBasePath("http://127.0.0.1:" + silent.getLocalPort());
      LeaseLock lock = fixture.locks(client).lease(namespace, "silent", Duration.ofMillis(500));
      Changes seen = watch(lock);

      await().atMost(Duration.ofSeconds(5)).until(() -> !seen.broken.isEmpty());
      assertThat(seen.broken.get(0))
          .isInstanceOfSatisfying(KubernetesApiException.class, refused ->
              assertThat(refused.reason()).isEqualTo("Timeout"))
          .hasMessageContaining("did not answer watch");
      assertThat(seen.connections).as("never connected").isZero();
    }
  }

  private void watchShouldResume(ApiClient client) throws Exception {
    LeaseLock lock = fixture.lease(client, namespace, "resumed", Duration.ofMillis(500),
        Duration.ofSeconds(1));
    lock.create(heldBy("holder"));
    Changes seen = watch(lock);
    await().atMost(PATIENCE).until(() -> seen.holders().contains("holder"));

    Thread.sleep(4_000); // the server ends the watch every second; each read outlasts 500 ms

    assertThat(seen.broken).as("the watch never broke").isEmpty();
    assertThat(seen.holders()).as("resumed watches do not list the lease again")
        .containsExactly("holder");
    LeaderRecord current = lock.get().orElseThrow();
    lock.update(heldBy("next").withVersion(current.version()));
    await().atMost(PATIENCE).until(() -> seen.holders().contains("next"));
  }

  private Changes watch(LeaseLock lock) {
    Changes changes = new Changes();
    watches.add(lock.watch(changes).orElseThrow());
    return changes;
  }

  private List<String> watchThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("leader-election-watch") && name.contains(namespace))
        .toList();
  }

  private static LeaderRecord heldBy(String holder) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(Duration.ofSeconds(15))
        .acquireTime(now).renewTime(now).build();
  }

  /** What one watch delivered. */
  public static final class Changes implements RecordWatcher {

    final List<Optional<LeaderRecord>> records = new CopyOnWriteArrayList<>();
    public final List<LeaseLockException> broken = new CopyOnWriteArrayList<>();
    volatile int connections;

    @Override
    public void connected() {
      connections++;
    }

    @Override
    public void changed(Optional<LeaderRecord> record) {
      records.add(record);
    }

    @Override
    public void broken(LeaseLockException cause) {
      broken.add(cause);
    }

    public List<String> holders() {
      return records.stream().flatMap(Optional::stream).map(LeaderRecord::holderIdentity)
          .toList();
    }
  }
}
