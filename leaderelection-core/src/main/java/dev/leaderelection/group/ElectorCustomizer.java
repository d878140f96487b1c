package dev.leaderelection.group;

import dev.leaderelection.LeaderElector;

/**
 * Customizes the elector of each shard of a {@link ShardGroup}: its timings, priority, release on
 * close, time sources or executors, as {@link LeaderElector.Builder} sets them for a single
 * election.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface ElectorCustomizer {

  /**
   * @param shard the shard, from 0 to the number of shards − 1
   * @param elector the builder of its elector, with the group's lock, identity, threads and
   *     listeners already set
   */
  void customize(int shard, LeaderElector.Builder elector);
}
