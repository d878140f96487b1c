package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;

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
final class LeaderElectionLifecycle extends ReadinessGatedLifecycle<LeaderElector> {

  LeaderElectionLifecycle(LeaderElectorFactory factory, ObjectProvider<LeaderElector> beans,
      boolean waitForReadiness, ObjectProvider<ApplicationAvailability> availability) {
    super(factory::created, beans, waitForReadiness, availability);
  }

  @Override
  public synchronized void start() {
    if (started.isEmpty()) {
      Set<LeaderElector> all = new LinkedHashSet<>(created());
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

  /** The electors started, and any the factory created since: never creates a bean. */
  private Set<LeaderElector> electors() {
    Set<LeaderElector> all = new LinkedHashSet<>(started);
    all.addAll(created());
    return all;
  }

  /** Closes the electors when the context closes; pauses them when it only stops. */
  @Override
  CompletableFuture<Void> stopAll() {
    running = false;
    return each(closing ? elector -> elector.closeAsync().toCompletableFuture()
        : elector -> elector.pause().toCompletableFuture());
  }

  private CompletableFuture<Void> each(
      Function<LeaderElector, CompletableFuture<?>> action) {
    return each(electors(), action);
  }

  /** Resumes the electors when the application accepts traffic, pauses them otherwise. */
  @Override
  void readinessChanged(ReadinessState readiness) {
    if (readiness == ReadinessState.ACCEPTING_TRAFFIC) {
      started.forEach(LeaderElector::resume);
    } else {
      each(elector -> elector.pause().toCompletableFuture());
    }
  }
}
