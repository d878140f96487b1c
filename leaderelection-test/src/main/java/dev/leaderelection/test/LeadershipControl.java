package dev.leaderelection.test;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spring.LeadershipAcquiredEvent;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Makes this instance the leader or a follower of an election, or the owner of a sharded group's
 * shard or not, on demand, in the application's own tests ({@link AutoConfigureLeadershipControl}).
 * It drives the real electors on their in-memory locks, so everything follows as in production:
 * events, {@code @OnLeader} and {@code @OnShardOwner}, leader-scoped lifecycles, health and
 * metrics. Each call returns once the change is complete: after {@link #grant(String)} this
 * instance leads and {@code LeadershipAcquiredEvent} was published; after {@link #revoke(String)}
 * it follows {@link #OTHER_INSTANCE}, its leader work has stopped and {@code LeadershipLostEvent}
 * was published (if it led); shards likewise ({@link #grantShard}, {@link #revokeShard}).
 * Thread-safe; calls for one election, or for the shards of all groups, are applied one at a
 * time.
 *
 * @since 0.2.0
 */
public final class LeadershipControl
    implements ApplicationListener<LeadershipAcquiredEvent>, Ordered {

  /** The identity that leads while this instance follows, and owns the shards it revoked. */
  public static final String OTHER_INSTANCE = "another-instance";

  private final LeaderElections elections;
  private final InMemoryElectionLocks locks;
  private final ShardControl shards;
  private final Map<String, Long> acquiredTokens = new ConcurrentHashMap<>();

  LeadershipControl(LeaderElections elections, InMemoryElectionLocks locks, ShardControl shards) {
    this.elections = elections;
    this.locks = locks;
    this.shards = shards;
  }

  /** Makes this instance the leader of the default election. */
  public void grant() {
    grant(LeaderElections.normalize(""));
  }

  /** Makes this instance a follower of the default election. */
  public void revoke() {
    revoke(LeaderElections.normalize(""));
  }

  /**
   * Makes this instance the leader of {@code election}: the other instance releases the lease,
   * and this one takes it at once with a new fencing token.
   *
   * @throws IllegalArgumentException when the application has no such election
   * @throws IllegalStateException when leadership did not arrive within 30 seconds
   */
  public synchronized void grant(String election) {
    String name = LeaderElections.normalize(election);
    LeaderElector elector = elections.elector(name);
    InMemoryLeaseLock lock = locks.of(name);
    OtherInstance.await(name + " freed", () -> OtherInstance.free(lock, elector.identity()));
    elector.resume();
    OtherInstance.await(name + " granted", () -> elector.currentTerm()
        .map(LeaderContext::fencingToken).filter(token -> token.equals(acquiredTokens.get(name)))
        .isPresent());
  }

  /**
   * Makes this instance a follower of {@code election}: when it leads, it yields (its leader work
   * stops and the lease is released), then {@link #OTHER_INSTANCE} holds the lease.
   *
   * @throws IllegalArgumentException when the application has no such election
   * @throws IllegalStateException when the change did not complete within 30 seconds
   */
  public synchronized void revoke(String election) {
    String name = LeaderElections.normalize(election);
    LeaderElector elector = elections.elector(name);
    try {
      elector.pause().toCompletableFuture()
          .get(OtherInstance.WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while revoking " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(name + " was not given up within " + OtherInstance.WAIT, e);
    }
    InMemoryLeaseLock lock = locks.of(name);
    OtherInstance.await(name + " taken", () -> OtherInstance.take(lock, lock.get()));
    elector.resume();
    OtherInstance.await(name + " revoked",
        () -> elector.leader().filter(OTHER_INSTANCE::equals).isPresent() && !elector.isLeader());
  }

  /**
   * Makes this instance the owner of {@code shard} of the sharded group {@code group}
   * ({@code leader-election.groups.<group>}): {@link #OTHER_INSTANCE} releases the shard, and this
   * instance takes it at once with a new fencing token. Returns once {@code ShardAcquiredEvent}
   * was published, so {@code @OnShardOwner} methods run for the shard's keys and the group's
   * {@code ownedShards()} contains it. An owned shard stays as it is.
   *
   * @param shard the shard, from 0 to the group's shards − 1 (see {@code ShardGroup.shardOf})
   * @throws IllegalArgumentException when the application has no such group, or it no such shard
   * @throws IllegalStateException when the shard was not taken within 30 seconds (the group has
   *     not started: with {@code wait-for-readiness}, the application is not ready yet)
   * @since 0.2.0
   */
  public void grantShard(String group, int shard) {
    shards.grant(group, shard);
  }

  /**
   * Makes {@link #OTHER_INSTANCE} the owner of {@code shard} of the sharded group {@code group}:
   * this instance, when it owns the shard, hands it over as it would to a candidate of higher
   * priority (its work stops, {@code ShardLostEvent} is published with reason
   * {@code PREEMPTED}, the lease is released), then the other instance holds it for an hour.
   * Returns once the group's view shows the other owner: {@code @OnShardOwner} methods skip the
   * shard's keys. The group keeps its other shards, and does not take this one back by itself.
   *
   * @param shard the shard, from 0 to the group's shards − 1 (see {@code ShardGroup.shardOf})
   * @throws IllegalArgumentException when the application has no such group, or it no such shard
   * @throws IllegalStateException when the change did not complete within 30 seconds
   * @since 0.2.0
   */
  public void revokeShard(String group, int shard) {
    shards.revoke(group, shard);
  }

  /**
   * Makes this instance the owner of every shard of {@code group}, one after another, as
   * {@link #grantShard} does; a test can start from this known state whatever ran before it.
   *
   * @throws IllegalArgumentException when the application has no such group
   * @throws IllegalStateException when a shard was not taken within 30 seconds
   * @since 0.2.0
   */
  public void grantAllShards(String group) {
    IntStream.range(0, shards.shards(group)).forEach(shard -> shards.grant(group, shard));
  }

  /**
   * Makes {@link #OTHER_INSTANCE} the owner of every shard of {@code group}, one after another,
   * as {@link #revokeShard} does, so this instance owns none.
   *
   * @throws IllegalArgumentException when the application has no such group
   * @throws IllegalStateException when a change did not complete within 30 seconds
   * @since 0.2.0
   */
  public void revokeAllShards(String group) {
    IntStream.range(0, shards.shards(group)).forEach(shard -> shards.revoke(group, shard));
  }

  @Override
  public void onApplicationEvent(LeadershipAcquiredEvent event) {
    acquiredTokens.put(event.election(), event.fencingToken());
  }

  /** After every other listener, so a grant returns once they all have seen the event. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
