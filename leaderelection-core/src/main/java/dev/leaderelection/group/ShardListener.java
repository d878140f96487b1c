package dev.leaderelection.group;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.StepDownReason;

/**
 * Receives the terms of this replica's shards in a {@link ShardGroup}.
 *
 * <p>Each shard's calls arrive as a {@link dev.leaderelection.LeadershipListener}'s do for its
 * election: one at a time and in order, never on the thread that renews the lease, acquired
 * before lost for each term, and never lost for a term that was not acquired. Calls for different
 * shards may arrive concurrently. When a shard is handed off, the group waits (at most the renew
 * deadline) for {@link #onShardLost} to return before it releases the shard, so work stopped
 * there never overlaps the next owner's. Exceptions are logged and otherwise ignored.
 *
 * @since 0.2.0
 */
public interface ShardListener {

  /**
   * This replica owns {@code shard} for a new term: start its work, and guard external writes
   * with {@code term.fencingToken()}.
   */
  default void onShardAcquired(int shard, LeaderContext term) {
  }

  /**
   * The term of {@code shard} that {@code term} describes ended ({@code term.isActive()} is
   * already false): stop its work. A shard handed off to balance the group ends with
   * {@link StepDownReason#YIELDED}, one released on close with {@link StepDownReason#RELEASED}.
   */
  default void onShardLost(int shard, LeaderContext term, StepDownReason reason) {
  }
}
