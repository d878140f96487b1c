package dev.leaderelection.group;

import dev.leaderelection.spi.LeaseLock;

/**
 * Builds the locks of a {@link ShardGroup}'s shards: the lock of a shard, by index.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface ShardLocks {

  /** The lock of {@code shard}, from 0 to the number of shards − 1; a new lock each shard. */
  LeaseLock lock(int shard);
}
