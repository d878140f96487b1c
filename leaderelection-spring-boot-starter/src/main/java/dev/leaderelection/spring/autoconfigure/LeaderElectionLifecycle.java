package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the electors once the context is refreshed and, on shutdown, closes them: leader work
 * stops, then the lease is released. Its phase is above the web server's graceful shutdown, so
 * the lease is released before graceful shutdown begins.
 */
final class LeaderElectionLifecycle implements SmartLifecycle {

  /** Stops before graceful web-server shutdown (DEFAULT_PHASE - 1024) and starts after it. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private final LeaderElectorFactory factory;
  private volatile boolean running;

  LeaderElectionLifecycle(LeaderElectorFactory factory) {
    this.factory = factory;
  }

  @Override
  public void start() {
    factory.created().forEach(LeaderElector::start);
    running = true;
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
    List<LeaderElector> electors = factory.created();
    return CompletableFuture.allOf(electors.stream()
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
