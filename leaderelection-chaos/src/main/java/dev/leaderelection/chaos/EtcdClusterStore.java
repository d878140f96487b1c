package dev.leaderelection.chaos;

import dev.leaderelection.etcd.EtcdLeaseLock;
import dev.leaderelection.etcd.testing.EtcdCluster;
import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.spi.LeaseLock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The election on a key of a real three-member etcd cluster of the harness's own
 * ({@code leaderelection-etcd-cluster}), and the faults that hit its members rather than the
 * candidates: the raft leader member killed, a member stopped, a member cut off from its peers or
 * from the clients (refused, or blackholed), and a quorum lost. Every member fault of one batch
 * hits the same member (so a batch loses the quorum only through {@code etcd-quorum-loss}), and
 * all clear together: partitions heal and stopped members start again on their data.
 *
 * <p>The candidates talk to every member's client URL (jetcd balances and fails over between
 * them), not through their own fault proxies, so the schedule leaves out the faults of the
 * candidates' network and keeps the process faults and this library's own operations. The
 * harness's own lock reads past the members' client gates.
 */
final class EtcdClusterStore implements ElectionStore {

  private final EtcdCluster cluster;
  private final EtcdLeaseLock adminLock;
  /** The member this batch's faults hit, until they clear. */
  private String batchMember;

  private EtcdClusterStore(EtcdCluster cluster) {
    this.cluster = cluster;
    this.adminLock = EtcdLeaseLock.builder(ChaosRunner.ELECTION)
        .endpoints(cluster.directEndpoints()).requestTimeout(Duration.ofSeconds(5)).build();
  }

  /** Starts a three-member cluster from the launcher and waits for its raft leader. */
  static EtcdClusterStore start() {
    EtcdCluster cluster = EtcdLauncher.find().orElseThrow(() -> new IllegalStateException(
        "Set ETCD_LAUNCHER, or install Go so that .ci/build-etcd-launcher can build it"))
        .startCluster(3);
    cluster.awaitLeader(Duration.ofSeconds(60));
    return new EtcdClusterStore(cluster);
  }

  /**
   * The schedule of a mode for the cluster: the member faults, the candidates' process faults
   * and this library's own operations; batches of at most two faults, held long enough for etcd
   * to notice (its election timeout is one second) and, at the longest, for a renew deadline.
   */
  static FaultSchedule schedule(String mode) {
    Map<String, Integer> weights = Map.ofEntries(
        Map.entry("etcd-leader-kill", 6), Map.entry("etcd-member-stop", 3),
        Map.entry("etcd-peer-partition", 6), Map.entry("etcd-client-partition", 4),
        Map.entry("etcd-client-blackhole", 4), Map.entry("etcd-quorum-loss", 2),
        Map.entry("sigkill", 3), Map.entry("sigterm", 2), Map.entry("pause", 1),
        Map.entry("yield", 3), Map.entry("pause-flap", 3), Map.entry("slow-stop", 1));
    return switch (mode) {
      case "quick" -> new FaultSchedule(weights, Duration.ofMillis(1_000),
          Duration.ofMillis(4_000), 2);
      case "full" -> new FaultSchedule(weights, Duration.ofMillis(500),
          Duration.ofMillis(4_000), 2);
      default -> throw new IllegalArgumentException("chaos.mode is '" + mode
          + "'; it must be quick or full");
    };
  }

  /**
   * The harness's report of cluster runs, under a heading of its own and with what the member
   * faults are.
   */
  static String describe(String report) {
    return report.replaceFirst("## Under real faults\n\n", """
        ## Under real faults on a three-member etcd cluster

        `leaderelection-etcd` candidates on an etcd cluster of three members, each its own \
        process, every candidate's client given all three client URLs (jetcd balances its calls \
        over them and fails over). The faults hit the members: `etcd-leader-kill` SIGKILLs the \
        raft leader member, `etcd-member-stop` SIGTERMs a member, both restarted on their data \
        when the batch clears; `etcd-peer-partition` cuts a member (the raft leader half the \
        time) off from its peers both ways; `etcd-client-partition` closes and refuses its \
        client connections; `etcd-client-blackhole` keeps them open but drops every byte, so \
        calls to it hang until their deadline; `etcd-quorum-loss` cuts two members off from \
        their peers, so no member has a quorum. Besides these, the candidates are killed, \
        stopped and made to yield as on one etcd. One row again: \
        `-Dchaos.runs=leaderelection-etcd-cluster@6s/4s/1s:<faults>`.

        """);
  }

  /** Whether {@code kind} is one of the member faults this store injects. */
  boolean handles(String kind) {
    return switch (kind) {
      case "etcd-leader-kill", "etcd-member-stop", "etcd-peer-partition",
          "etcd-client-partition", "etcd-client-blackhole", "etcd-quorum-loss" -> true;
      default -> false;
    };
  }

  /** Injects a member fault now; returns what clears every member fault of the batch. */
  synchronized Runnable inject(String kind, Random random) {
    List<String> members = cluster.members();
    Optional<String> leader = cluster.leader();
    String member = batchMember;
    if (member == null) {
      String any = members.get(random.nextInt(members.size()));
      member = switch (kind) {
        case "etcd-leader-kill" -> leader.orElse(any);
        case "etcd-peer-partition" -> random.nextBoolean() ? leader.orElse(any) : any;
        default -> any;
      };
      batchMember = member;
    }
    switch (kind) {
      case "etcd-leader-kill" -> cluster.kill(member);
      case "etcd-member-stop" -> cluster.stop(member);
      case "etcd-peer-partition" -> cluster.partitionFromPeers(member);
      case "etcd-client-partition" -> cluster.partitionFromClients(member);
      case "etcd-client-blackhole" -> cluster.clients(member, EtcdCluster.Clients.BLACKHOLE);
      case "etcd-quorum-loss" -> {
        List<String> others = new ArrayList<>(members);
        others.remove(member);
        cluster.partitionFromPeers(member);
        cluster.partitionFromPeers(others.get(random.nextInt(others.size())));
      }
      default -> throw new IllegalArgumentException(kind);
    }
    return this::clear;
  }

  /** Heals every partition and starts the stopped members again (once per batch). */
  private synchronized void clear() {
    if (batchMember == null) {
      return;
    }
    batchMember = null;
    cluster.heal();
    String[] down = cluster.members().stream().filter(name -> !cluster.running(name))
        .toArray(String[]::new);
    if (down.length > 0) {
      cluster.restart(down);
    }
  }

  /** The first member's gated client port (the candidates' own proxies are not used). */
  @Override
  public int port() {
    return URI.create(cluster.endpoint(cluster.members().get(0))).getPort();
  }

  /** Every member's client URL, through its client gate; the candidate's proxy is not used. */
  @Override
  public String serverFor(int proxyPort) {
    return String.join(",", cluster.endpoints());
  }

  @Override
  public String scope() {
    return "-";
  }

  @Override
  public LeaseLock adminLock() {
    return adminLock;
  }

  /** Stops every member (SIGTERM) and starts them again on the same data and ports. */
  @Override
  public synchronized void restart() {
    cluster.heal();
    cluster.members().forEach(cluster::stop);
    cluster.restart(cluster.members().toArray(String[]::new));
  }

  @Override
  public void close() {
    adminLock.close();
    cluster.close();
  }
}
