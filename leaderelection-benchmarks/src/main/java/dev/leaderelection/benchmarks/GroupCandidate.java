package dev.leaderelection.benchmarks;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.group.ShardListener;
import dev.leaderelection.kubernetes.KubernetesLocks;
import io.kubernetes.client.util.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One member process of the groups suite, on Leases {@code <group>-<shard>} of one namespace:
 * either a {@link ShardGroup} ({@code group}; members by {@link KubernetesLocks#groupMembership},
 * TTL the lease duration) or, as applications do without groups, one plain {@link LeaderElector}
 * per shard on shared {@link ElectionThreads} ({@code independent}). Arguments: approach,
 * kubeconfig, namespace, group, identity, shards, lease seconds, renew deadline millis, retry
 * period millis. Prints each shard's transitions as {@link ShardEvent} lines, {@code READY
 * <nanos>} once started, and {@code CLOSED} when a SIGTERM's close finished (every shard's work
 * stopped and its Lease released). Every call's timeout is half the renew deadline.
 */
public final class GroupCandidate {

  private GroupCandidate() {
  }

  public static void main(String[] args) throws Exception {
    String approach = args[0];
    KubernetesLocks locks = KubernetesLocks.create(Config.fromConfig(args[1]));
    String namespace = args[2];
    String group = args[3];
    String identity = args[4];
    int shards = Integer.parseInt(args[5]);
    LeaseTimings timings = LeaseTimings.of(Duration.ofSeconds(Long.parseLong(args[6])),
        Duration.ofMillis(Long.parseLong(args[7])), Duration.ofMillis(Long.parseLong(args[8])));
    Duration timeout = timings.renewDeadline().dividedBy(2);
    Clock clock = Clock.systemUTC();
    Runnable close = switch (approach) {
      case "group" -> group(locks, namespace, group, identity, shards, timings, timeout, clock);
      case "independent" ->
          independent(locks, namespace, group, identity, shards, timings, timeout, clock);
      default -> throw new IllegalArgumentException("unknown approach " + approach);
    };
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close.run();
      locks.close();
      System.out.println("CLOSED");
    }));
    System.out.println("READY " + System.nanoTime());
    Thread.currentThread().join();
  }

  private static Runnable group(KubernetesLocks locks, String namespace, String name,
      String identity, int shards, LeaseTimings timings, Duration timeout, Clock clock) {
    ShardGroup group = ShardGroup.builder(name, shards,
            shard -> locks.lease(namespace, name + "-" + shard, timeout),
            locks.groupMembership(namespace, name, timings.leaseDuration(), timeout), identity)
        .electorCustomizer((shard, elector) -> elector.timings(timings).clock(clock))
        .listener(new ShardListener() {
          @Override
          public void onShardAcquired(int shard, LeaderContext term) {
            acquired(shard, term, clock);
          }

          @Override
          public void onShardLost(int shard, LeaderContext term, StepDownReason reason) {
            lost(shard, term, reason);
          }
        })
        .build();
    group.start();
    return group::close;
  }

  private static Runnable independent(KubernetesLocks locks, String namespace, String group,
      String identity, int shards, LeaseTimings timings, Duration timeout, Clock clock) {
    ElectionThreads threads = ElectionThreads.create(ElectionThreads.DEFAULT_LOCK_CALL_THREADS);
    List<LeaderElector> electors = new ArrayList<>(shards);
    for (int i = 0; i < shards; i++) {
      int shard = i;
      LeaderElector elector = LeaderElector.builder(
              locks.lease(namespace, group + "-" + shard, timeout), identity)
          .timings(timings)
          .clock(clock)
          .threads(threads)
          .listener(new LeadershipListener() {
            @Override
            public void onStartedLeading(LeaderContext term) {
              acquired(shard, term, clock);
            }

            @Override
            public void onStoppedLeading(LeaderContext term, StepDownReason reason) {
              lost(shard, term, reason);
            }
          })
          .build();
      elector.start();
      electors.add(elector);
    }
    return () -> {
      try {
        CompletableFuture.allOf(electors.stream()
                .map(elector -> elector.closeAsync().toCompletableFuture())
                .toArray(CompletableFuture[]::new))
            .get(timings.leaseDuration().toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        System.err.println("closing the electors did not finish: " + e);
      }
      threads.close();
    };
  }

  /**
   * Prints an acquisition: now, and when the term began by its {@code acquiredAt} (as the chaos
   * harness places a term), so that the harness's overlap check cannot start a term late.
   */
  private static void acquired(int shard, LeaderContext term, Clock clock) {
    long now = System.nanoTime();
    long sinceBegun = Math.max(0, Duration.between(term.acquiredAt(), clock.instant()).toNanos());
    System.out.println(new ShardEvent("", true, shard, term.fencingToken(), now,
        now - sinceBegun, "").line());
  }

  private static void lost(int shard, LeaderContext term, StepDownReason reason) {
    System.out.println(new ShardEvent("", false, shard, term.fencingToken(), System.nanoTime(),
        0, reason.name()).line());
  }
}
