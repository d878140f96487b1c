package dev.leaderelection.group;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.StepDownReason;
import java.util.ArrayList;
import java.util.List;

/** Records a member's shard events as {@code acquired 3 token 1}, {@code lost 3 token 1 YIELDED}. */
final class RecordingShardListener implements ShardListener {

  private final List<String> events = new ArrayList<>();

  @Override
  public synchronized void onShardAcquired(int shard, LeaderContext term) {
    events.add("acquired " + shard + " token " + term.fencingToken());
  }

  @Override
  public synchronized void onShardLost(int shard, LeaderContext term, StepDownReason reason) {
    events.add("lost " + shard + " token " + term.fencingToken() + " " + reason);
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }
}
