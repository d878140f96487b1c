package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.group.ShardGroup;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Starts the starter's sharded groups once the context is refreshed and, when it closes, closes
 * them in the electors' phase ({@link LeaderElectionLifecycle#PHASE}), so every shard's work
 * stops and its lease is released before the web server's graceful shutdown begins. With
 * {@code leader-election.wait-for-readiness} a group starts (joins and competes) only once the
 * application first accepts traffic; a group cannot pause, so it keeps its shards when readiness
 * is lost later, and a context stopped without closing keeps its groups running.
 */
final class ShardGroupLifecycle implements SmartLifecycle, SmartApplicationListener {

  private final ShardGroupFactory factory;
  private final ObjectProvider<ShardGroup> beans;
  private final boolean waitForReadiness;
  private final ObjectProvider<ApplicationAvailability> availability;
  private volatile boolean running;
  private volatile boolean closing;
  private volatile List<ShardGroup> started = List.of();

  ShardGroupLifecycle(ShardGroupFactory factory, ObjectProvider<ShardGroup> beans,
      boolean waitForReadiness, ObjectProvider<ApplicationAvailability> availability) {
    this.factory = factory;
    this.beans = beans;
    this.waitForReadiness = waitForReadiness;
    this.availability = availability;
  }

  @Override
  public synchronized void start() {
    beans.orderedStream().forEach(group -> { }); // makes every group, even when lazy
    running = true;
    if (!waitForReadiness || availability.getIfAvailable() != null
        && availability.getObject().getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC) {
      startGroups();
    }
  }

  private synchronized void startGroups() {
    if (started.isEmpty() && !closing) {
      started = factory.created();
      started.forEach(ShardGroup::start);
    }
  }

  @Override
  public void stop() {
    stopAll().join();
  }

  @Override
  public void stop(Runnable callback) {
    stopAll().whenComplete((ignored, failure) -> callback.run());
  }

  /** Closes the groups when the context closes (leaves, stops shard work, releases). */
  private synchronized CompletableFuture<Void> stopAll() {
    running = false;
    if (!closing) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.allOf(factory.created().stream()
        .map(group -> group.closeAsync().toCompletableFuture())
        .toArray(CompletableFuture[]::new));
  }

  @Override
  public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
    return ContextClosedEvent.class.isAssignableFrom(eventType)
        || waitForReadiness && AvailabilityChangeEvent.class.isAssignableFrom(eventType);
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ContextClosedEvent) {
      closing = true;
    } else if (event instanceof AvailabilityChangeEvent<?> change
        && change.getState() == ReadinessState.ACCEPTING_TRAFFIC && running) {
      startGroups();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return LeaderElectionLifecycle.PHASE;
  }

  /** Never paused by a context's pause (such as a cached test context's). */
  @Override
  public boolean isPauseable() {
    return false;
  }
}
