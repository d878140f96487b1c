package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.etcd.testing.EtcdLauncherExtension;
import dev.leaderelection.etcd.testing.EtcdServer;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.testing.GoBinaries;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Electors with separate clients on one key of a real etcd. Timings 3s / 2s / 500ms. */
@ExtendWith(EtcdLauncherExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdElectionIT {

  private static final Duration RETRY = EtcdElectors.TIMINGS.retryPeriod();
  private static final Duration LEASE = EtcdElectors.TIMINGS.leaseDuration();
  /** Time for one or two round trips and a listener call on a busy two-core machine. */
  private static final Duration LATENCY = Duration.ofMillis(300);

  private EtcdServer server;
  private Client admin;
  private EtcdElectors electors = new EtcdElectors();
  private String key;

  @BeforeAll
  void startEtcd(EtcdLauncher launcher) {
    server = launcher.start();
    admin = server.client();
  }

  @AfterAll
  void stopEtcd() {
    admin.close();
    server.close();
  }

  @BeforeEach
  void newKey() {
    key = "/leaderelection/election-" + UUID.randomUUID();
  }

  @AfterEach
  void closeElectors() {
    electors.close();
    electors = new EtcdElectors();
  }

  @Test
  void closingTheLeaderWithReleaseShouldHandOverWithinOneJitteredRetryPeriod() {
    start("a", UnaryOperator.identity());
    start("b", UnaryOperator.identity());
    LeaderElector leader = awaitExactlyOneLeader();

    leader.close();

    LeaderElector next = awaitExactlyOneLeader();
    Duration handover = Duration.ofNanos(electors.startedNanos(next.identity()).orElseThrow()
        - electors.releasedNanos(leader.identity()).orElseThrow());
    System.out.printf("etcd handover after release: %d ms (bound %d ms + %d ms latency)%n",
        handover.toMillis(), jittered(RETRY).toMillis(), LATENCY.toMillis());
    assertThat(electors.stoppedReason(leader.identity())).contains(StepDownReason.RELEASED);
    assertThat(handover).isLessThanOrEqualTo(jittered(RETRY).plus(LATENCY));
  }

  @Test
  void crashedLeaderShouldBeReplacedOnlyOnceTheLeaseExpired() throws Exception {
    Process crashing = EtcdCandidate.start(server.endpoint(), key, "crashing");
    try {
      CompletableFuture<String> leading = CompletableFuture.supplyAsync(
          () -> GoBinaries.readyLine(crashing, EtcdCandidate.LEADING));
      long firstToken = Long.parseLong(leading.get(60, TimeUnit.SECONDS));
      LeaderElector follower = start("follower", UnaryOperator.identity());
      await().atMost(Duration.ofSeconds(10)).until(() -> follower.leader().isPresent());
      await().during(RETRY.multipliedBy(2)).atMost(RETRY.multipliedBy(3))
          .until(() -> follower.leader().equals(java.util.Optional.of("crashing")));

      crashing.destroyForcibly().waitFor();
      long killed = System.nanoTime();
      LeaderRecord lastRenewal = read();

      await().atMost(LEASE.plus(RETRY.multipliedBy(4))).until(follower::isLeader);
      LeaderRecord taken = read();
      Duration failover = Duration.ofNanos(
          electors.startedNanos("follower").orElseThrow() - killed);
      System.out.printf("etcd failover after SIGKILL: %d ms (lease %d ms)%n",
          failover.toMillis(), LEASE.toMillis());
      assertThat(lastRenewal.holderIdentity()).isEqualTo("crashing");
      assertThat(Duration.between(lastRenewal.renewTime(), taken.acquireTime()))
          .isGreaterThanOrEqualTo(LEASE);
      assertThat(failover).isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(2)).plus(LATENCY));
      assertThat(electors.context("follower").fencingToken()).isGreaterThan(firstToken);
    } finally {
      crashing.destroyForcibly();
    }
  }

  @Test
  void foreignWriteOfTheHolderShouldStopTheLeaderAtItsNextRenew() throws Exception {
    LeaderElector leader = start("a", UnaryOperator.identity());
    await().atMost(Duration.ofSeconds(10)).until(leader::isLeader);

    String stolen = RecordJson.encode(LeaderRecord.builder().holderIdentity("intruder")
        .leaseDuration(LEASE).acquireTime(java.time.Instant.now())
        .renewTime(java.time.Instant.now()).leaseTransitions(7).build());
    admin.getKVClient().put(bytes(key), bytes(stolen)).get(5, TimeUnit.SECONDS);
    long written = System.nanoTime();

    await().atMost(RETRY.plus(LATENCY.multipliedBy(2))).until(() -> !leader.isLeader());
    Duration stepDown = Duration.ofNanos(electors.stoppedNanos("a").orElseThrow() - written);
    System.out.printf("etcd step-down after a foreign write: %d ms%n", stepDown.toMillis());
    assertThat(electors.stoppedReason("a")).contains(StepDownReason.STOLEN);
    assertThat(leader.leader()).contains("intruder");
  }

  @Test
  void compactionDuringTheWatchShouldNotDisturbTheElection() throws Exception {
    LeaderElector leader = start("a", UnaryOperator.identity());
    await().atMost(Duration.ofSeconds(10)).until(leader::isLeader);
    LeaderElector follower = start("b", UnaryOperator.identity());
    await().atMost(Duration.ofSeconds(10)).until(() -> follower.leader().isPresent());
    await().during(RETRY.multipliedBy(3)).atMost(RETRY.multipliedBy(4))
        .until(() -> follower.watchFailure().isEmpty());

    long revision = admin.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getHeader()
        .getRevision();
    admin.getKVClient().compact(revision).get(5, TimeUnit.SECONDS);
    LeaderRecord atCompaction = follower.observedRecord().orElseThrow();

    await().atMost(RETRY.multipliedBy(3)).until(() -> Long.parseLong(
        follower.observedRecord().orElseThrow().version()) > revision);
    await().during(LEASE).atMost(LEASE.plusSeconds(1)).untilAsserted(() -> {
      assertThat(electors.leaders()).containsExactly(leader);
      assertThat(follower.watchFailure()).isEmpty();
    });
    assertThat(follower.observedRecord().orElseThrow().renewTime())
        .isAfter(atCompaction.renewTime());
  }

  @Test
  void watchStartingFromACompactedRevisionShouldReadTheRecordAgain() throws Exception {
    EtcdLeaseLock lock = electors.lock(server.endpoint(), key);
    LeaderRecord created = lock.create(LeaderRecord.builder().holderIdentity("a")
        .leaseDuration(LEASE).leaseTransitions(1).build());
    LeaderRecord updated = lock.update(LeaderRecord.builder().holderIdentity("b")
        .leaseDuration(LEASE).leaseTransitions(2).version(created.version()).build());
    long revision = Long.parseLong(updated.version());
    admin.getKVClient().compact(revision).get(5, TimeUnit.SECONDS);
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    EtcdWatch.Source stale = new StaleFirstRead(lock, revision - 1);

    try (EtcdWatch watch = new EtcdWatch(admin.getWatchClient(), bytes(key), "etcd key " + key,
        stale, new SeenWatcher(seen), java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(), System::nanoTime, Duration.ofSeconds(5))) {
      watch.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("b"));
    }

    // etcd confirms a watch from a compacted revision, then cancels it at once.
    int compacted = seen.indexOf(seen.stream().filter(event -> event.startsWith("broken: "))
        .findFirst().orElseThrow());
    assertThat(seen.get(compacted)).contains("compacted its history past revision " + revision);
    assertThat(seen.subList(compacted + 1, seen.size())).containsExactly("connected", "b");
    System.out.println("etcd watch from a compacted revision: " + seen);
  }

  @Test
  void writesGuardedByTheTermRevisionShouldSucceedAcrossRenewalsAndFailOnceANewTermBegan()
      throws Exception {
    EtcdLeaseLock lockA = electors.lock(server.endpoint(), key);
    LeaderElector a = electors.start("a", lockA, UnaryOperator.identity());
    await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
    long tokenA = electors.context("a").fencingToken();
    long begunA = lockA.termRevision(tokenA).orElseThrow();
    await().pollDelay(RETRY.multipliedBy(3)).atMost(RETRY.multipliedBy(4)).until(() -> true);

    assertThat(Long.parseLong(read().version())).as("renewed since").isGreaterThan(begunA);
    assertThat(fencedWrite(lockA, begunA, "written by a")).isTrue();

    LeaderElector b = start("b", UnaryOperator.identity());
    a.close();
    await().atMost(LEASE.plus(RETRY.multipliedBy(4))).until(b::isLeader);
    long tokenB = electors.context("b").fencingToken();

    assertThat(fencedWrite(lockA, begunA, "stale write by a")).isFalse();
    assertThat(lockA.termRevision(tokenA)).isEmpty();
    assertThat(lockA.termRevision(tokenB).orElseThrow()).isGreaterThan(begunA);
    assertThat(admin.getKVClient().get(bytes(key + "/data")).get(5, TimeUnit.SECONDS).getKvs()
        .get(0).getValue().toString(StandardCharsets.UTF_8)).isEqualTo("written by a");
  }

  @Test
  void followersShouldSendNoRequestsWhileTheWatchIsHealthy() {
    LeaderElector leader = start("a", UnaryOperator.identity());
    await().atMost(Duration.ofSeconds(10)).until(leader::isLeader);
    start("b", UnaryOperator.identity());
    start("c", UnaryOperator.identity());
    await().during(RETRY.multipliedBy(4)).atMost(RETRY.multipliedBy(8)).until(
        () -> electors.leaders().equals(List.of(leader)));

    Map<String, Double> before = requests();
    int leaderBefore = electors.calls("a");
    int followersBefore = electors.calls("b") + electors.calls("c");
    await().pollDelay(RETRY.multipliedBy(10)).atMost(RETRY.multipliedBy(11)).until(() -> true);
    Map<String, Double> after = requests();
    int leaderCalls = electors.calls("a") - leaderBefore;
    int followerCalls = electors.calls("b") + electors.calls("c") - followersBefore;

    double served = after.get("Range") + after.get("Txn") - before.get("Range")
        - before.get("Txn");
    System.out.printf("etcd steady state over %d ms: leader %d calls, followers %d, etcd served"
        + " %.0f Range+Txn, %.0f new watches%n", RETRY.multipliedBy(10).toMillis(), leaderCalls,
        followerCalls, served, after.get("Watch") - before.get("Watch"));
    assertThat(leaderCalls).isGreaterThanOrEqualTo(5);
    assertThat(followerCalls).isZero();
    // A call in flight when the counters are read is counted on one side only: at most one at
    // either end of the window.
    assertThat(served).isCloseTo(leaderCalls, within(1.0));
    assertThat(after.get("Watch")).isEqualTo(before.get("Watch"));
  }

  /** Writes {@code value} under the election key, fenced by the term that began at {@code begun}. */
  private boolean fencedWrite(EtcdLeaseLock lock, long begun, String value) throws Exception {
    return admin.getKVClient().txn()
        .If(new Cmp(bytes(lock.termKey()), Cmp.Op.EQUAL, CmpTarget.modRevision(begun)))
        .Then(Op.put(bytes(key + "/data"), bytes(value), PutOption.DEFAULT))
        .commit().get(5, TimeUnit.SECONDS).isSucceeded();
  }

  /** Requests etcd started, by gRPC method, from its own metrics. */
  private Map<String, Double> requests() {
    return Map.of(
        "Range", server.counter("grpc_server_started_total", Map.of("grpc_method", "Range")),
        "Txn", server.counter("grpc_server_started_total", Map.of("grpc_method", "Txn")),
        "Watch", server.counter("grpc_server_started_total", Map.of("grpc_method", "Watch")));
  }

  private LeaderElector start(String identity, UnaryOperator<LeaderElector.Builder> configure) {
    return electors.start(identity, electors.lock(server.endpoint(), key), configure);
  }

  private LeaderRecord read() {
    return electors.lock(server.endpoint(), key).get().orElseThrow();
  }

  private LeaderElector awaitExactlyOneLeader() {
    return await().atMost(LEASE.plus(RETRY.multipliedBy(4)))
        .until(this::soleLeader, leader -> leader != null);
  }

  private LeaderElector soleLeader() {
    List<LeaderElector> leaders = electors.leaders();
    assertThat(leaders).as("leaders").hasSizeLessThanOrEqualTo(1);
    return leaders.isEmpty() ? null : leaders.get(0);
  }

  private static Duration jittered(Duration period) {
    return Duration.ofNanos(Math.round(period.toNanos() * 1.2));
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  /** Reads through the lock, but claims the first read happened at a compacted revision. */
  private static final class StaleFirstRead implements EtcdWatch.Source {

    private final EtcdLeaseLock lock;
    private final long staleRevision;
    private boolean first = true;

    StaleFirstRead(EtcdLeaseLock lock, long staleRevision) {
      this.lock = lock;
      this.staleRevision = staleRevision;
    }

    @Override
    public EtcdWatch.Snapshot read() {
      if (first) {
        first = false;
        return new EtcdWatch.Snapshot(java.util.Optional.empty(), staleRevision - 1);
      }
      LeaderRecord current = lock.get().orElseThrow();
      return new EtcdWatch.Snapshot(java.util.Optional.of(current),
          Long.parseLong(current.version()));
    }

    @Override
    public LeaderRecord decode(io.etcd.jetcd.KeyValue value) {
      return RecordJson.decode(value.getValue().toString(StandardCharsets.UTF_8),
          Long.toString(value.getModRevision()), "key");
    }

    @Override
    public dev.leaderelection.LeaseLockException failure(Throwable cause) {
      return new EtcdCalls("key", "etcd", Duration.ofSeconds(1)).failure("watch", cause);
    }
  }

  /** Notes what a watch reports, as text. */
  private record SeenWatcher(List<String> seen) implements dev.leaderelection.spi.RecordWatcher {

    @Override
    public void connected() {
      seen.add("connected");
    }

    @Override
    public void changed(java.util.Optional<LeaderRecord> record) {
      seen.add(record.map(LeaderRecord::holderIdentity).orElse("deleted"));
    }

    @Override
    public void broken(dev.leaderelection.LeaseLockException cause) {
      seen.add("broken: " + cause.getMessage());
    }
  }
}
