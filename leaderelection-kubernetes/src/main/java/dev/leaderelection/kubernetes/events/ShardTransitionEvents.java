package dev.leaderelection.kubernetes.events;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.group.ShardListener;
import dev.leaderelection.kubernetes.KubernetesLocks;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Records a Kubernetes Event about a shard's Lease (or ConfigMap) each time this replica acquires
 * or loses the shard in a sharded group, as {@link TransitionEvents} does for an election: reason
 * {@code LeaderElection}, action {@code BecameLeader} or {@code StoppedLeading}, a note naming the
 * identity, the shard and its group, the {@link StepDownReason} of a loss ({@code YIELDED} for a
 * shard handed off to balance the group, {@code RELEASED} on close) and the fencing token. Normal,
 * or Warning when a term was lost (renew deadline exceeded, stolen).
 *
 * <p>As for elections, recording never delays or breaks the group: each Event is only queued, for
 * the thread shared by the {@link KubernetesLocks}; each shard's Lease gets at most 25 Events and
 * then one every 5 minutes; a failure is logged once for the whole group while it lasts (a
 * refusal names the permission to grant) and reported by {@link #problem()}. Made by
 * {@link KubernetesLocks#shardEvents}; register it as a listener of the group. Thread-safe.
 *
 * @since 0.2.0
 */
public final class ShardTransitionEvents implements ShardListener {

  private final IntFunction<TransitionEvents> shards;
  private final Map<Integer, TransitionEvents> recorders = new ConcurrentHashMap<>();
  private final EventFailures failures;

  /**
   * @param shards each shard's recorder, made with {@code failures}; shard 0's is made at once,
   *     so that a lock that is not a Kubernetes object is refused here
   */
  ShardTransitionEvents(IntFunction<TransitionEvents> shards, EventFailures failures) {
    this.shards = shards;
    this.failures = failures;
    recorders.put(0, shards.apply(0));
  }

  @Override
  public void onShardAcquired(int shard, LeaderContext term) {
    recorder(shard).onStartedLeading(term);
  }

  @Override
  public void onShardLost(int shard, LeaderContext term, StepDownReason reason) {
    recorder(shard).onStoppedLeading(term, reason);
  }

  /**
   * Why the last Event of a shard of this group could not be recorded, such as a missing
   * permission; empty once one was recorded again (or none failed).
   */
  public Optional<String> problem() {
    return failures.problem();
  }

  private TransitionEvents recorder(int shard) {
    return recorders.computeIfAbsent(shard, shards::apply);
  }
}
