package dev.leaderelection.group;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.StepDownReason;

/**
 * One shard's elector listener: passes its terms to a {@link ShardListener} with the shard's
 * index. {@link #transitions} makes the group's own listener, kept apart from users' listeners so
 * that one that throws cannot keep the group from deciding again.
 */
final class ShardEvents implements LeadershipListener {

  private final int shard;
  private final ShardListener listener;

  ShardEvents(int shard, ShardListener listener) {
    this.shard = shard;
    this.listener = listener;
  }

  /** A listener that runs {@code onChange} after every transition and every new leader seen. */
  static LeadershipListener transitions(Runnable onChange) {
    return new LeadershipListener() {
      @Override
      public void onStartedLeading(LeaderContext context) {
        onChange.run();
      }

      @Override
      public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
        onChange.run();
      }

      @Override
      public void onNewLeader(String identity) {
        onChange.run();
      }
    };
  }

  @Override
  public void onStartedLeading(LeaderContext context) {
    listener.onShardAcquired(shard, context);
  }

  @Override
  public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
    listener.onShardLost(shard, context, reason);
  }
}
