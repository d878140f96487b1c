package dev.leaderelection.kubernetes.coordinated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.kubernetes.ApiCalls;
import dev.leaderelection.kubernetes.ElectorFixture;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.RealApiServerTest;
import dev.leaderelection.spi.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Coordinated leader election on the real API server, whose coordinated-leader-election
 * controller chooses the holder: three candidates of two versions, then a rolling upgrade that
 * crashes one old candidate and replaces the others one by one. At no sampled moment do two
 * lead; the oldest version leads while one of its candidates lives; fencing tokens grow; the
 * Lease is the controller's to create.
 */
class CoordinatedElectionIT extends RealApiServerTest {

  private static final String LEASE = "coordinated";
  private static final String OLD = "1.0.0";
  private static final String NEW = "1.1.0";
  private static final Duration WAIT = Duration.ofSeconds(45);

  private final List<String> terms = new CopyOnWriteArrayList<>();
  private final List<Long> tokens = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicBoolean> crashed = new ConcurrentHashMap<>();

  @Test
  void rollingUpgradeShouldKeepTheOldestVersionLeadingAndNeverTwoLeaders() throws Exception {
    List<String> overlaps = new CopyOnWriteArrayList<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> {
      List<LeaderElector> leaders = fixture.leaders();
      if (leaders.size() > 1) {
        overlaps.add(leaders.stream().map(LeaderElector::identity).toList().toString());
      }
    }, 0, 10, TimeUnit.MILLISECONDS);
    try {
      LeaderElector old1 = start("old-1", OLD);
      await().atMost(WAIT).until(old1::isLeader);
      // The controller breaks ties of equal versions by creation time in whole seconds:
      // candidates created in one second would take turns leading (each turn a correct term).
      Thread.sleep(1_100);
      LeaderElector old2 = start("old-2", OLD);
      LeaderElector new1 = start("new-1", NEW);
      await().during(Duration.ofSeconds(6)).atMost(WAIT).until(() ->
          server.leaseCandidateNames(namespace).size() == 3
          && old1.isLeader() && !old2.isLeader() && !new1.isLeader());

      long crashedAt = System.nanoTime();
      crashed.get("old-1").set(true);
      await().atMost(WAIT).until(old2::isLeader);
      System.out.printf("Crashed leader replaced by the next oldest version in %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashedAt));
      assertThat(new1.isLeader()).isFalse();
      old1.close();

      Thread.sleep(1_100);
      LeaderElector new2 = start("new-2", NEW);
      long closedAt = System.nanoTime();
      old2.close();
      await().atMost(WAIT).until(new1::isLeader);
      System.out.printf("Graceful hand-over to the oldest new candidate in %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt));
      LeaderElector new3 = start("new-3", NEW);
      await().during(Duration.ofSeconds(6)).atMost(WAIT)
          .until(() -> new1.isLeader() && !new2.isLeader() && !new3.isLeader());
      assertThat(server.leaseCandidateNames(namespace)).contains("new-1", "new-2", "new-3").doesNotContain("old-2");
    } finally {
      sampler.shutdownNow();
    }

    assertThat(overlaps).as("moments with two leaders").isEmpty();
    assertThat(terms).as("the leaders, in order").containsExactly("old-1", "old-2", "new-1");
    assertThat(tokens).as("fencing tokens").isSorted().doesNotHaveDuplicates();
    JsonObject lease = lease();
    assertThat(lease.getAsJsonObject("spec").get("strategy").getAsString())
        .isEqualTo("OldestEmulationVersion");
    assertThat(lease.getAsJsonObject("metadata").getAsJsonArray("managedFields").asList())
        .as("who created the Lease").map(entry -> entry.getAsJsonObject())
        .filteredOn(entry -> entry.has("operation")
            && entry.get("operation").getAsString().equals("Create"))
        .noneMatch(entry -> entry.get("manager").getAsString()
            .equals(ApiCalls.FIELD_MANAGER));
  }

  @Test
  void olderVersionJoiningShouldBePreferredAndTheLeaderShouldStepDownForIt() {
    LeaderElector newer = start("newer", NEW);
    await().atMost(WAIT).until(newer::isLeader);
    LeaderElector older = start("older", OLD);

    await().atMost(WAIT).until(older::isLeader);

    assertThat(fixture.stoppedReason("newer")).contains(StepDownReason.PREEMPTED);
    assertThat(fixture.stoppedNanos("newer").orElseThrow())
        .isLessThan(fixture.startedNanos("older").orElseThrow());
    assertThat(terms).containsExactly("newer", "older");
    assertThat(tokens).isSorted().doesNotHaveDuplicates();
  }

  /** An elector of {@code version} on its own client, which {@link #crashed} cuts off. */
  private LeaderElector start(String identity, String version) {
    AtomicBoolean cut = new AtomicBoolean();
    crashed.put(identity, cut);
    ApiClient client = server.adminClient();
    client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(chain -> {
      if (cut.get()) {
        throw new IOException(identity + " crashed");
      }
      return chain.proceed(chain.request());
    }).build());
    KubernetesLocks locks = fixture.locks(client);
    LeaseLock lock = locks.lease(namespace, LEASE, ElectorFixture.REQUEST_TIMEOUT);
    return fixture.start(identity, lock, builder -> builder
        .coordinatedBy(locks.leaseCandidate(lock.reference(), identity, version, version,
            ElectorFixture.REQUEST_TIMEOUT))
        .listener(new LeadershipListener() {
          @Override
          public void onStartedLeading(LeaderContext context) {
            terms.add(identity);
            tokens.add(context.fencingToken());
          }
        }));
  }

  private JsonObject lease() {
    return JsonParser.parseString(server.raw("GET", "/apis/coordination.k8s.io/v1/namespaces/"
        + namespace + "/leases/" + LEASE, null)).getAsJsonObject();
  }
}
