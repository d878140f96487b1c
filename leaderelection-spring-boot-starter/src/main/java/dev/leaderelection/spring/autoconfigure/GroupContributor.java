package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.group.ShardListener;

/**
 * A part of the starter that follows every sharded group's shards (such as the
 * {@code @OnShardOwner} guard, which waits for the calls in flight before a shard is released).
 *
 * <p>Internal to the starter: public only so that its sub-packages can contribute.
 *
 * @since 0.2.0
 */
public interface GroupContributor {

  /**
   * A listener of {@code group}'s shards, called before the starter publishes the shard's events.
   */
  ShardListener listener(String group, LeaseTimings timings);
}
