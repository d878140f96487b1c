package dev.leaderelection.test;

import dev.leaderelection.spring.ElectionLockProvider;
import dev.leaderelection.spring.autoconfigure.LeaderElectionAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The test kit's beans, imported by {@link AutoConfigureLeadershipControl} only (it is not in the
 * auto-configuration imports, so the kit on a classpath changes nothing by itself): in-memory locks
 * for every election, in-memory shard locks and memberships for every sharded group, and the
 * {@link LeadershipControl} over them.
 *
 * @since 0.2.0
 */
@AutoConfiguration(before = LeaderElectionAutoConfiguration.class)
public final class LeadershipControlAutoConfiguration {

  @Bean
  InMemoryElectionLocks leadershipControlLocks() {
    return new InMemoryElectionLocks();
  }

  @Bean
  ElectionLockProvider leadershipControlLockProvider(InMemoryElectionLocks locks) {
    return locks::lock;
  }

  /** A post-processor of the backends, so it is made early, depending on nothing. */
  @Bean
  static InMemoryGroups leadershipControlGroups() {
    return new InMemoryGroups();
  }

  @Bean
  ShardControl leadershipControlShards(LeaderElections elections, InMemoryGroups groups) {
    return new ShardControl(elections, groups);
  }

  @Bean
  LeadershipControl leadershipControl(LeaderElections elections, InMemoryElectionLocks locks,
      ShardControl shards) {
    return new LeadershipControl(elections, locks, shards);
  }
}
