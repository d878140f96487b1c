package dev.leaderelection.chaos;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.etcd.EtcdLeaseLock;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.group.ShardListener;
import dev.leaderelection.group.ShardLocks;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.GroupMembership;
import io.etcd.jetcd.Client;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A sharded chaos candidate: one member of a {@link ShardGroup} of this library on Kubernetes
 * Leases (a Lease {@code <group>-<shard>} per shard, members by
 * {@link KubernetesLocks#groupMembership}) or on etcd (a key per shard and the members' keys, all
 * on one jetcd client of the candidate's), in a JVM of its own behind its own fault proxy. As
 * {@link ChaosCandidate} does for its one election, it prints {@code SBEGIN <shard> <token>
 * <nanos>} and {@code SEND <shard> <token> <nanos> <reason>} on each shard's transitions, and
 * {@code READY}; every {@link #ACTION_PERIOD} it checks each shard's term ({@link
 * ShardGroup#term}) and sends the guarded actions of the shards it leads, each with its shard,
 * its term's token and the time of its check, in one request to the {@link FencedResource}.
 *
 * <p>Arguments: library ({@code leaderelection} or {@code leaderelection-etcd}), kubeconfig (or
 * etcd endpoint), namespace (or "-"), group, identity, lease/renew/retry in milliseconds, the
 * fenced resource's URL, the record clock's skew in seconds, the number of shards. A member's
 * TTL is the lease duration; every call's timeout half the renew deadline, as the plain
 * candidate's.
 */
public final class ShardedCandidate {

  /** Longer than a plain candidate's: one request carries every shard's action of a tick. */
  static final Duration ACTION_PERIOD = Duration.ofMillis(100);

  private ShardedCandidate() {
  }

  public static void main(String[] args) throws Exception {
    String library = args[0];
    String server = args[1];
    String namespace = args[2];
    String groupName = args[3];
    String identity = args[4];
    LeaseTimings timings = LeaseTimings.of(Duration.ofMillis(Long.parseLong(args[5])),
        Duration.ofMillis(Long.parseLong(args[6])), Duration.ofMillis(Long.parseLong(args[7])));
    URI resource = URI.create(args[8]);
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(Long.parseLong(args[9])));
    int shards = Integer.parseInt(args[10]);
    Duration requestTimeout = timings.renewDeadline().dividedBy(2);

    GroupMembership membership;
    ShardLocks shardLocks;
    AutoCloseable connection;
    if (library.equals(ChaosRunner.ON_ETCD)) {
      Client client = Client.builder().endpoints(server.split(",")).build();
      membership = EtcdLeaseLock.builder(groupName).client(client).requestTimeout(requestTimeout)
          .buildGroupMembership(timings.leaseDuration());
      shardLocks = shard -> EtcdLeaseLock.builder(shardLease(groupName, shard)).client(client)
          .requestTimeout(requestTimeout).build();
      connection = client;
    } else {
      ApiClient client = Config.fromConfig(server);
      KubernetesLocks locks = KubernetesLocks.create(client);
      membership = locks.groupMembership(namespace, groupName, timings.leaseDuration(),
          requestTimeout);
      shardLocks = shard -> locks.lease(namespace, shardLease(groupName, shard), requestTimeout);
      connection = locks;
    }
    PrintStream out = System.out;
    ShardGroup group = ShardGroup.builder(groupName, shards, shardLocks, membership, identity)
        .electorCustomizer((shard, elector) -> elector.timings(timings).clock(clock))
        .listener(new ShardListener() {
          @Override
          public void onShardAcquired(int shard, LeaderContext term) {
            out.println("SBEGIN " + shard + " " + term.fencingToken() + " "
                + OwnElector.begunNanos(term, clock, System.nanoTime()));
          }

          @Override
          public void onShardLost(int shard, LeaderContext term, StepDownReason reason) {
            out.println("SEND " + shard + " " + term.fencingToken() + " " + System.nanoTime()
                + " " + reason.name());
          }
        })
        .build();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    ScheduledExecutorService actions = Executors.newSingleThreadScheduledExecutor();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      actions.shutdownNow();
      group.close();
      try {
        connection.close();
      } catch (Exception e) {
        // closing on exit
      }
    }));
    group.start();
    actions.scheduleAtFixedRate(() -> act(group, identity, resource, http), 0,
        ACTION_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    out.println("READY");
  }

  /** The Lease of {@code shard} of {@code group}. */
  static String shardLease(String group, int shard) {
    return group + "-" + shard;
  }

  /**
   * The guarded actions of one tick: each shard's term checked right before its entry is written,
   * with the token of the checked term. Nothing it throws may cancel the next tick.
   */
  private static void act(ShardGroup group, String identity, URI resource, HttpClient http) {
    try {
      StringBuilder shards = new StringBuilder();
      for (int shard = 0; shard < group.shards(); shard++) {
        Optional<LeaderContext> term = group.term(shard);
        if (term.isPresent()) {
          long checked = System.nanoTime();
          shards.append(shards.length() == 0 ? "" : ",").append(shard).append(':')
              .append(term.get().fencingToken()).append(':').append(checked);
        }
      }
      if (shards.length() == 0) {
        return;
      }
      URI action = resource.resolve("/act?identity=" + identity + "&shards=" + shards);
      http.send(HttpRequest.newBuilder(action).POST(HttpRequest.BodyPublishers.noBody())
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | Error e) {
      System.err.println("guarded actions failed: " + e);
    }
  }
}
