package dev.leaderelection.spring.autoconfigure.metrics;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.group.ShardListener;
import dev.leaderelection.spring.autoconfigure.GroupContributor;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Sharded group metrics, tagged by group, named as the elections' are:
 * {@code leader.election.shards.owned} (shards this replica owns now),
 * {@code leader.election.shards.fair.share} (the share it aims at; owned minus it is how far it
 * is from balance), {@code leader.election.group.members} (live members as it sees them) and
 * {@code leader.election.shard.transitions} (shards it acquired or lost, the moves: tagged
 * {@code transition} {@code acquired} or {@code lost} and {@code reason}, the
 * {@link StepDownReason} of a loss, such as {@code YIELDED} for a hand-off to balance the group,
 * {@code none} for an acquire). Counters follow every shard's terms; gauges are registered once
 * the groups exist.
 */
final class MicrometerGroupObserver implements GroupContributor, SmartInitializingSingleton {

  static final String NO_REASON = "none";

  private final MeterRegistry registry;
  private final LeaderElections elections;

  MicrometerGroupObserver(MeterRegistry registry, LeaderElections elections) {
    this.registry = registry;
    this.elections = elections;
  }

  @Override
  public ShardListener listener(String group, LeaseTimings timings) {
    Counter acquired = transitions(group, "acquired", NO_REASON);
    return new ShardListener() {
      @Override
      public void onShardAcquired(int shard, LeaderContext term) {
        acquired.increment();
      }

      @Override
      public void onShardLost(int shard, LeaderContext term, StepDownReason reason) {
        transitions(group, "lost", reason.name()).increment();
      }
    };
  }

  /** Registers each group's gauges; every group's bean exists by now, lazy or not. */
  @Override
  public void afterSingletonsInstantiated() {
    elections.groups().forEach(name -> {
      ShardGroup group = elections.group(name);
      Gauge.builder("leader.election.shards.owned", group, shards -> shards.ownedShards().size())
          .description("Shards of the group this instance owns now")
          .tag("group", name)
          .register(registry);
      Gauge.builder("leader.election.shards.fair.share", group, ShardGroup::fairShare)
          .description("Shards of the group this instance aims at; 0 before it first decided")
          .tag("group", name)
          .register(registry);
      Gauge.builder("leader.election.group.members", group, members -> members.members().size())
          .description("Live members of the group as this instance last saw them")
          .tag("group", name)
          .register(registry);
    });
  }

  private Counter transitions(String group, String transition, String reason) {
    return Counter.builder("leader.election.shard.transitions")
        .description("Shards of the group this instance acquired or lost, by reason")
        .tag("group", group)
        .tag("transition", transition)
        .tag("reason", reason)
        .register(registry);
  }
}
