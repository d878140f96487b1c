package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.group.ShardListener;
import dev.leaderelection.spring.ShardAcquiredEvent;
import dev.leaderelection.spring.ShardLostEvent;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes a group's shard transitions as Spring events. Runs on each shard's callback lane, so
 * events of one shard arrive in order and never on the thread that renews its lease; a shard
 * handed off is released only after the listeners of its {@link ShardLostEvent} return.
 */
final class ShardEventPublisher implements ShardListener {

  private final String group;
  private final ApplicationEventPublisher publisher;
  private final AtomicReference<ShardGroup> source = new AtomicReference<>();

  ShardEventPublisher(String group, ApplicationEventPublisher publisher) {
    this.group = group;
    this.publisher = publisher;
  }

  /** Attaches the group this listener reports for; the source of every event. */
  void attach(ShardGroup group) {
    source.set(group);
  }

  @Override
  public void onShardAcquired(int shard, LeaderContext term) {
    publisher.publishEvent(new ShardAcquiredEvent(source.get(), group, shard, term.identity(),
        term.fencingToken()));
  }

  @Override
  public void onShardLost(int shard, LeaderContext term, StepDownReason reason) {
    publisher.publishEvent(new ShardLostEvent(source.get(), group, shard, term.identity(),
        term.fencingToken(), reason));
  }
}
