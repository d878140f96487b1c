package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.etcd.testing.EtcdCluster;
import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.etcd.testing.EtcdLauncherExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The etcd lock on a real three-member etcd cluster, each member its own process: the etcd
 * leader member is killed, members are cut off from their peers and from the clients, and a
 * quorum is lost. Safety is asserted strictly (never two leaders, tokens rise, a leader without a
 * quorum steps down); how long things took is printed, never asserted.
 */
@ExtendWith(EtcdLauncherExtension.class)
class EtcdClusterIT {

  /** The chaos harness's etcd timings: a renew may fail three times before the deadline. */
  private static final LeaseTimings TIMINGS =
      LeaseTimings.of(Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofSeconds(1));
  /** A bound that keeps a broken test from hanging, not a figure under test. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final EtcdElectors electors = new EtcdElectors();
  private final String key = "/leaderelection/cluster-" + UUID.randomUUID();
  private final List<Long> tokens = new ArrayList<>();
  private EtcdCluster cluster;

  @BeforeEach
  void startCluster(EtcdLauncher launcher) {
    cluster = launcher.startCluster(3);
    cluster.awaitLeader(PATIENCE);
  }

  @AfterEach
  void stop() {
    electors.close();
    cluster.close();
  }

  @Test
  void leaderShouldKeepItsTermWhenTheEtcdLeaderMemberIsKilled() {
    LeaderElector a = start("a");
    await().atMost(PATIENCE).until(a::isLeader);
    LeaderElector b = start("b");
    await().atMost(PATIENCE).until(() -> b.leader().isPresent());
    long token = electors.context("a").fencingToken();
    Sampler sampler = Sampler.start(a, b);

    String etcdLeader = cluster.awaitLeader(PATIENCE);
    long lastRenewBefore = electors.renewedNanos("a").orElseThrow();
    long killed = System.nanoTime();
    cluster.kill(etcdLeader);
    String next = cluster.awaitLeader(PATIENCE);
    long elected = System.nanoTime();
    // three renewals on the new etcd leader (or a step-down, if one failed past the deadline)
    await().pollDelay(TIMINGS.retryPeriod().multipliedBy(3)).atMost(PATIENCE)
        .until(() -> electors.renewedNanos("a").orElse(0L) > elected || !a.isLeader());
    cluster.restart(etcdLeader);
    sampler.stop();

    System.out.printf("etcd leader %s killed: %s took over after %d ms; the lock's leader %s "
            + "(token %d -> %s)%n", etcdLeader, next, (elected - killed) / 1_000_000,
        a.isLeader() ? "kept its term" : "stepped down (" + electors.stoppedReason("a") + ")",
        token, a.isLeader() ? Long.toString(electors.context("a").fencingToken()) : "-");
    assertThat(sampler.overlaps()).as("samples with two leaders").isZero();
    assertThat(tokens).as("tokens of successive terms").isSorted().doesNotHaveDuplicates();
    // Liveness, asserted only when calls could succeed within the deadline: once etcd had a new
    // leader, there was still time for a call in flight to run out and a retry to land before
    // the renew deadline. Then the term survives, with its token, and the follower never leads.
    long spare = TIMINGS.renewDeadline().toNanos() - (elected - lastRenewBefore)
        - EtcdElectors.REQUEST_TIMEOUT.toNanos() - TIMINGS.retryPeriod().toNanos();
    if (spare < 0) {
      System.out.printf("etcd took %d ms to elect a new leader after the last renew: too late for "
          + "the renew deadline, so the term's survival is not asserted%n",
          (elected - lastRenewBefore) / 1_000_000);
      return;
    }
    assertThat(a.isLeader()).as("a still leads").isTrue();
    assertThat(electors.context("a").fencingToken()).isEqualTo(token);
    assertThat(electors.stoppedReason("a")).isEmpty();
    assertThat(b.isLeader()).isFalse();
  }

  @Test
  void leaderShouldStepDownWhenTheQuorumIsLostAndNobodyLeadUntilItIsBack() {
    LeaderElector a = start("a");
    await().atMost(PATIENCE).until(a::isLeader);
    LeaderElector b = start("b");
    await().atMost(PATIENCE).until(() -> b.leader().isPresent());
    long token = electors.context("a").fencingToken();
    Sampler sampler = Sampler.start(a, b);

    List<String> lost = cluster.members().subList(0, 2);
    long losing = System.nanoTime();
    lost.forEach(cluster::kill);
    await().atMost(PATIENCE).until(() -> !a.isLeader());
    long stopped = electors.stoppedNanos("a").orElseThrow();
    long lastRenew = electors.renewedNanos("a").orElseThrow();
    System.out.printf("quorum lost (%s killed): the leader stepped down %d ms after its last "
            + "renew and %d ms after the quorum was lost (renew deadline %d ms)%n", lost,
        (stopped - lastRenew) / 1_000_000, (stopped - losing) / 1_000_000,
        TIMINGS.renewDeadline().toMillis());
    assertThat(electors.stoppedReason("a")).contains(StepDownReason.RENEW_DEADLINE_EXCEEDED);
    // Without a quorum nothing can be written: nobody leads, however long it lasts.
    await().during(TIMINGS.leaseDuration()).atMost(TIMINGS.leaseDuration().plusSeconds(5))
        .until(() -> electors.leaders().isEmpty());

    long restoring = System.nanoTime();
    cluster.restart(lost.toArray(String[]::new));
    LeaderElector next = await().atMost(PATIENCE).until(
        () -> electors.leaders().stream().findFirst().orElse(null), leader -> leader != null);
    System.out.printf("quorum back: %s leads %d ms after the members were restarted%n",
        next.identity(), (electors.startedNanos(next.identity()).orElseThrow() - restoring)
            / 1_000_000);
    sampler.stop();
    assertThat(sampler.overlaps()).as("samples with two leaders").isZero();
    assertThat(electors.context(next.identity()).fencingToken()).isGreaterThan(token);
    assertThat(tokens).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void twoElectorsShouldNeverBothLeadWhileMembersArePartitionedAndRestarted() {
    LeaderElector a = start("a");
    LeaderElector b = start("b");
    await().atMost(PATIENCE).until(() -> a.isLeader() || b.isLeader());
    Sampler sampler = Sampler.start(a, b);
    List<String> members = cluster.members();
    List<String> log = new ArrayList<>();

    // 1. the etcd leader member is cut off from its peers: the others elect a new one
    String etcdLeader = cluster.awaitLeader(PATIENCE);
    step(log, "etcd leader " + etcdLeader + " partitioned from its peers", () -> {
      cluster.partitionFromPeers(etcdLeader);
      hold(TIMINGS.renewDeadline());
    });
    // 2. a member refuses clients, then another drops their bytes (calls hang to their deadline)
    step(log, members.get(0) + " refuses clients", () -> {
      cluster.partitionFromClients(members.get(0));
      hold(TIMINGS.renewDeadline());
    });
    step(log, members.get(1) + " blackholes clients", () -> {
      cluster.clients(members.get(1), EtcdCluster.Clients.BLACKHOLE);
      hold(TIMINGS.renewDeadline());
    });
    // 3. a member is stopped and restarted
    step(log, members.get(2) + " restarted", () -> {
      cluster.stop(members.get(2));
      hold(TIMINGS.retryPeriod().multipliedBy(2));
      cluster.restart(members.get(2));
    });
    // 4. two members cut off from their peers: no quorum anywhere, so nobody may lead
    step(log, members.get(0) + " and " + members.get(1) + " partitioned (quorum lost)", () -> {
      cluster.partitionFromPeers(members.get(0));
      cluster.partitionFromPeers(members.get(1));
      await().atMost(PATIENCE).until(() -> electors.leaders().isEmpty());
      hold(TIMINGS.leaseDuration());
      assertThat(electors.leaders()).as("leaders without a quorum").isEmpty();
    });
    cluster.awaitLeader(PATIENCE);
    await().atMost(PATIENCE).until(() -> a.isLeader() || b.isLeader());
    sampler.stop();

    log.forEach(System.out::println);
    System.out.printf("terms: %d, tokens %s, samples %d, overlaps %d%n", tokens.size(), tokens,
        sampler.samples(), sampler.overlaps());
    assertThat(sampler.overlaps()).as("samples with two leaders").isZero();
    assertThat(tokens).as("tokens of successive terms").isSorted().doesNotHaveDuplicates();
  }

  /** Runs a fault, heals the cluster, and notes who led before and after. */
  private void step(List<String> log, String what, Runnable fault) {
    String before = leaderName();
    long started = System.nanoTime();
    fault.run();
    cluster.heal();
    cluster.awaitLeader(PATIENCE);
    log.add(String.format("%-55s %5d ms  leader %s -> %s", what,
        (System.nanoTime() - started) / 1_000_000, before, leaderName()));
  }

  private String leaderName() {
    return electors.leaders().stream().map(LeaderElector::identity).findFirst().orElse("-");
  }

  private LeaderElector start(String identity) {
    UnaryOperator<LeaderElector.Builder> configure = builder -> builder.timings(TIMINGS)
        .listener(new LeadershipListener() {
          @Override
          public void onStartedLeading(LeaderContext context) {
            synchronized (tokens) {
              tokens.add(context.fencingToken());
            }
          }
        });
    return electors.start(identity, electors.lock(cluster.endpoints(), key), configure);
  }

  private static void hold(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Samples every few milliseconds whether both electors believe they lead. */
  private static final class Sampler implements Runnable {

    private final LeaderElector a;
    private final LeaderElector b;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final Thread thread;

    private Sampler(LeaderElector a, LeaderElector b) {
      this.a = a;
      this.b = b;
      this.thread = new Thread(this, "overlap-sampler");
      thread.setDaemon(true);
    }

    static Sampler start(LeaderElector a, LeaderElector b) {
      Sampler sampler = new Sampler(a, b);
      sampler.thread.start();
      return sampler;
    }

    @Override
    public void run() {
      while (running.get()) {
        samples.incrementAndGet();
        if (a.isLeader() && b.isLeader()) {
          overlaps.incrementAndGet();
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stop() {
      running.set(false);
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    int samples() {
      return samples.get();
    }

    int overlaps() {
      return overlaps.get();
    }
  }
}
