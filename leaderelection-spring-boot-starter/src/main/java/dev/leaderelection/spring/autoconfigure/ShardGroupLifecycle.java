package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.group.ShardGroup;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;

/**
 * Starts the starter's sharded groups once the context is refreshed and, when it closes, closes
 * them in the electors' phase ({@link ReadinessGatedLifecycle#PHASE}), so every shard's work
 * stops and its lease is released before the web server's graceful shutdown begins. A context
 * stopped without closing ({@code stop()}) pauses its groups (each member withdraws and hands its
 * shards off), and starting it again resumes them. With {@code leader-election.wait-for-readiness}
 * a group starts (joins and competes) only once the application first accepts traffic, and is
 * paused while readiness is lost later, as an election is.
 */
final class ShardGroupLifecycle extends ReadinessGatedLifecycle<ShardGroup> {

  ShardGroupLifecycle(ShardGroupFactory factory, ObjectProvider<ShardGroup> beans,
      boolean waitForReadiness, ObjectProvider<ApplicationAvailability> availability) {
    super(factory::created, beans, waitForReadiness, availability);
  }

  @Override
  public synchronized void start() {
    beans.orderedStream().forEach(group -> { }); // makes every group, even when lazy
    running = true;
    if (ready()) {
      competeAll();
    }
  }

  /** Starts the groups the first time; resumes them after a pause. */
  private synchronized void competeAll() {
    if (closing) {
      return;
    }
    if (started.isEmpty()) {
      started = created();
      started.forEach(ShardGroup::start);
    } else {
      started.forEach(ShardGroup::resume);
    }
  }

  /** Closes the groups when the context closes; pauses them when it only stops. */
  @Override
  synchronized CompletableFuture<Void> stopAll() {
    running = false;
    return closing ? each(created(), group -> group.closeAsync().toCompletableFuture())
        : each(started, group -> group.pause().toCompletableFuture());
  }

  /** Competes while the application accepts traffic, stands aside otherwise. */
  @Override
  void readinessChanged(ReadinessState readiness) {
    if (readiness == ReadinessState.ACCEPTING_TRAFFIC) {
      competeAll();
    } else {
      each(started, group -> group.pause().toCompletableFuture());
    }
  }
}
