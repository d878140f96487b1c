package dev.leaderelection.spring.autoconfigure.onleader;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.group.ShardListener;
import dev.leaderelection.spring.autoconfigure.GroupContributor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of {@code @OnShardOwner} methods in flight, by group and shard: when a shard is lost,
 * its listener waits (at most the renew deadline) for the calls it let in, so the shard is
 * released, and taken by another instance, only after they return.
 */
final class ShardScopedWork implements GroupContributor {

  private static final Logger log = LoggerFactory.getLogger(ShardScopedWork.class);

  private final Map<String, LeaderScopedWork.InFlightCalls> calls = new ConcurrentHashMap<>();

  /** The calls in flight on {@code shard} of {@code group}. */
  LeaderScopedWork.InFlightCalls calls(String group, int shard) {
    return calls.computeIfAbsent(group + "/" + shard,
        name -> new LeaderScopedWork.InFlightCalls());
  }

  @Override
  public ShardListener listener(String group, LeaseTimings timings) {
    return new ShardListener() {
      @Override
      public void onShardLost(int shard, LeaderContext term, StepDownReason reason) {
        if (!calls(group, shard).awaitNone(timings.renewDeadline().toNanos())) {
          log.warn("@OnShardOwner calls on shard {} of group {} still run after the renew "
              + "deadline; the shard is released anyway", shard, group);
        }
      }
    };
  }
}
