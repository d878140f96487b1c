package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Starts every elector of the context once it is refreshed, the starter's and any
 * {@link LeaderElector} bean the application defines itself, and on shutdown closes them: leader
 * work stops, then the lease is released. Its phase is above the web server's graceful shutdown,
 * so the lease is released before graceful shutdown begins. A context stopped without closing
 * ({@code stop()}) pauses its electors, and starting it again resumes them. With
 * {@code leader-election.wait-for-readiness}, electors compete only while the application's
 * readiness is {@code ACCEPTING_TRAFFIC}. An application's elector must not be started by the
 * application: starting it twice fails the startup.
 */
final class LeaderElectionLifecycle implements SmartLifecycle, SmartApplicationListener {

  /** Stops before graceful web-server shutdown (DEFAULT_PHASE - 1024) and starts after it. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private final LeaderElectorFactory factory;
  private final ObjectProvider<LeaderElector> beans;
  private final boolean waitForReadiness;
  private final ObjectProvider<ApplicationAvailability> availability;
  private volatile boolean running;
  private volatile boolean closing;
  private volatile List<LeaderElector> started = List.of();

  LeaderElectionLifecycle(LeaderElectorFactory factory, ObjectProvider<LeaderElector> beans,
      boolean waitForReadiness, ObjectProvider<ApplicationAvailability> availability) {
    this.factory = factory;
    this.beans = beans;
    this.waitForReadiness = waitForReadiness;
    this.availability = availability;
  }

  @Override
  public synchronized void start() {
    if (started.isEmpty()) {
      Set<LeaderElector> all = new LinkedHashSet<>(factory.created());
      beans.orderedStream().forEach(all::add);
      started = List.copyOf(all);
      boolean ready = ready();
      started.forEach(elector -> {
        if (!ready) {
          elector.pause();
        }
        elector.start();
      });
    } else if (ready()) {
      started.forEach(LeaderElector::resume);
    }
    running = true;
  }

  /** Whether electors may compete: always, unless they wait for readiness and it is not there. */
  private boolean ready() {
    return !waitForReadiness || availability.getIfAvailable() != null
        && availability.getObject().getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
  }

  /** The electors started, and any the factory created since: never creates a bean. */
  private Set<LeaderElector> electors() {
    Set<LeaderElector> all = new LinkedHashSet<>(started);
    all.addAll(factory.created());
    return all;
  }

  @Override
  public void stop() {
    stopAll().join();
  }

  @Override
  public void stop(Runnable callback) {
    stopAll().whenComplete((ignored, failure) -> callback.run());
  }

  /** Closes the electors when the context closes; pauses them when it only stops. */
  private CompletableFuture<Void> stopAll() {
    running = false;
    return each(closing ? elector -> elector.closeAsync().toCompletableFuture()
        : elector -> elector.pause().toCompletableFuture());
  }

  private CompletableFuture<Void> each(
      Function<LeaderElector, CompletableFuture<?>> action) {
    return CompletableFuture.allOf(electors().stream().map(action)
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
        && change.getState() instanceof ReadinessState readiness && running) {
      if (readiness == ReadinessState.ACCEPTING_TRAFFIC) {
        started.forEach(LeaderElector::resume);
      } else {
        each(elector -> elector.pause().toCompletableFuture());
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** Never paused by a context's pause (such as a cached test context's). */
  @Override
  public boolean isPauseable() {
    return false;
  }
}
