package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.group.ShardListener;
import dev.leaderelection.spi.LeaseLock;
import java.util.Map;

/**
 * A part of the starter that follows every sharded group's shards (such as the
 * {@code @OnShardOwner} guard, which waits for the calls in flight before a shard is released,
 * or the Kubernetes Events recorded on the shards' Leases).
 *
 * <p>Internal to the starter: public only so that its sub-packages can contribute.
 *
 * @since 0.2.0
 */
public interface GroupContributor {

  /**
   * The lock of {@code shard} of {@code group}: {@code lock} itself, or a lock that wraps it.
   * Called for every shard before {@link #listener}.
   */
  default LeaseLock lock(String group, int shard, LeaseLock lock) {
    return lock;
  }

  /**
   * A listener of {@code group}'s shards, called before the starter publishes the shard's events.
   */
  ShardListener listener(String group, LeaseTimings timings);

  /**
   * What this contributor adds to the health details of {@code group}, such as a problem that
   * does not stop the group; empty by default.
   */
  default Map<String, Object> healthDetails(String group) {
    return Map.of();
  }
}
