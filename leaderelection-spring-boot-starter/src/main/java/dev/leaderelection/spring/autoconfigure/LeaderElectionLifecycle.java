package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts every elector of the context once it is refreshed, the starter's and any
 * {@link LeaderElector} bean the application defines itself, and on shutdown closes them: leader
 * work stops, then the lease is released. Its phase is above the web server's graceful shutdown,
 * so the lease is released before graceful shutdown begins. An application's elector must not be
 * started by the application: starting it twice fails the startup.
 */
final class LeaderElectionLifecycle implements SmartLifecycle {

  /** Stops before graceful web-server shutdown (DEFAULT_PHASE - 1024) and starts after it. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private final LeaderElectorFactory factory;
  private final ObjectProvider<LeaderElector> beans;
  private volatile boolean running;
  private volatile List<LeaderElector> started = List.of();

  LeaderElectionLifecycle(LeaderElectorFactory factory, ObjectProvider<LeaderElector> beans) {
    this.factory = factory;
    this.beans = beans;
  }

  @Override
  public void start() {
    Set<LeaderElector> all = new LinkedHashSet<>(factory.created());
    beans.orderedStream().forEach(all::add);
    started = List.copyOf(all);
    started.forEach(LeaderElector::start);
    running = true;
  }

  /** The electors started, and any the factory created since: never creates a bean. */
  private Set<LeaderElector> electors() {
    Set<LeaderElector> all = new LinkedHashSet<>(started);
    all.addAll(factory.created());
    return all;
  }

  @Override
  public void stop() {
    closeAll().join();
  }

  @Override
  public void stop(Runnable callback) {
    closeAll().whenComplete((ignored, failure) -> callback.run());
  }

  private CompletableFuture<Void> closeAll() {
    running = false;
    return CompletableFuture.allOf(electors().stream()
        .map(elector -> elector.closeAsync().toCompletableFuture())
        .toArray(CompletableFuture[]::new));
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** Never paused by a context's stop (such as a cached test context): closing is final. */
  @Override
  public boolean isPauseable() {
    return false;
  }
}
