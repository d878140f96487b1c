package dev.leaderelection.spring.autoconfigure;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * What the starter's lifecycles share: the electors' phase, the participants (those a factory
 * created, the beans, those started), whether the context is running or closing, and, with
 * {@code leader-election.wait-for-readiness}, the application's readiness. A subclass starts its
 * participants, stops or closes them ({@link #stopAll()}, which clears {@link #running}) and
 * reacts to readiness changes heard while running.
 *
 * @param <T> the participant: an elector or a sharded group
 */
abstract class ReadinessGatedLifecycle<T> implements SmartLifecycle, SmartApplicationListener {

  /** Stops before graceful web-server shutdown (DEFAULT_PHASE - 1024) and starts after it. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private final Supplier<List<T>> created;
  final ObjectProvider<T> beans;
  private final boolean waitForReadiness;
  private final ObjectProvider<ApplicationAvailability> availability;
  volatile boolean running;
  volatile boolean closing;
  volatile List<T> started = List.of();

  ReadinessGatedLifecycle(Supplier<List<T>> created, ObjectProvider<T> beans,
      boolean waitForReadiness, ObjectProvider<ApplicationAvailability> availability) {
    this.created = created;
    this.beans = beans;
    this.waitForReadiness = waitForReadiness;
    this.availability = availability;
  }

  /** The participants the factory created so far: never creates a bean. */
  final List<T> created() {
    return created.get();
  }

  /** Whether participants may compete: always, unless they wait for readiness and it is absent. */
  final boolean ready() {
    return !waitForReadiness || availability.getIfAvailable() != null
        && availability.getObject().getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
  }

  /** {@code action} on each of {@code participants}; completes when every one has. */
  static <P> CompletableFuture<Void> each(Collection<P> participants,
      Function<P, CompletableFuture<?>> action) {
    return CompletableFuture.allOf(participants.stream().map(action)
        .toArray(CompletableFuture[]::new));
  }

  /** Stops (clearing {@link #running}): closes the participants when the context is closing. */
  abstract CompletableFuture<Void> stopAll();

  /** The application's readiness changed while running. */
  abstract void readinessChanged(ReadinessState readiness);

  @Override
  public final void stop() {
    stopAll().join();
  }

  @Override
  public final void stop(Runnable callback) {
    stopAll().whenComplete((ignored, failure) -> callback.run());
  }

  @Override
  public final boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
    return ContextClosedEvent.class.isAssignableFrom(eventType)
        || waitForReadiness && AvailabilityChangeEvent.class.isAssignableFrom(eventType);
  }

  @Override
  public final void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ContextClosedEvent) {
      closing = true;
    } else if (event instanceof AvailabilityChangeEvent<?> change
        && change.getState() instanceof ReadinessState readiness && running) {
      readinessChanged(readiness);
    }
  }

  @Override
  public final boolean isRunning() {
    return running;
  }

  @Override
  public final int getPhase() {
    return PHASE;
  }

  /** Never paused by a context's pause (such as a cached test context's). */
  @Override
  public final boolean isPauseable() {
    return false;
  }
}
