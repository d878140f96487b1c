package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.group.ShardGroup;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;

/**
 * Starts the starter's sharded groups once the context is refreshed and, when it closes, closes
 * them in the electors' phase ({@link ReadinessGatedLifecycle#PHASE}), so every shard's work
 * stops and its lease is released before the web server's graceful shutdown begins. With
 * {@code leader-election.wait-for-readiness} a group starts (joins and competes) only once the
 * application first accepts traffic; a group cannot pause, so it keeps its shards when readiness
 * is lost later, and a context stopped without closing keeps its groups running.
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
      startGroups();
    }
  }

  private synchronized void startGroups() {
    if (started.isEmpty() && !closing) {
      started = created();
      started.forEach(ShardGroup::start);
    }
  }

  /** Closes the groups when the context closes (leaves, stops shard work, releases). */
  @Override
  synchronized CompletableFuture<Void> stopAll() {
    running = false;
    if (!closing) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.allOf(created().stream()
        .map(group -> group.closeAsync().toCompletableFuture())
        .toArray(CompletableFuture[]::new));
  }

  /** Starts the groups the first time the application accepts traffic; never stops them. */
  @Override
  void readinessChanged(ReadinessState readiness) {
    if (readiness == ReadinessState.ACCEPTING_TRAFFIC) {
      startGroups();
    }
  }
}
