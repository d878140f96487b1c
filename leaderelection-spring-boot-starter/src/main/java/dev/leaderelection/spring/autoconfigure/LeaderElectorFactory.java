package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLock;
import dev.leaderelection.spring.LeaderElectorCustomizer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Builds one {@link LeaderElector} per election from its settings: the chosen lock, the shared
 * executors, the event bridge, leader-scoped work, metrics and the user's customizers.
 */
final class LeaderElectorFactory {

  private final ElectionSettingsResolver settings;
  private final ElectionLocks locks;
  private final ElectionThreads threads;
  private final ApplicationEventPublisher publisher;
  private final LeaderScopedWork work;
  private final @Nullable ElectionObserver observer;
  private final List<LeaderElectorCustomizer> customizers;
  private final String identity;
  private final List<LeaderElector> created = new CopyOnWriteArrayList<>();

  LeaderElectorFactory(ElectionSettingsResolver settings, ElectionLocks locks,
      ElectionThreads threads, ApplicationEventPublisher publisher, LeaderScopedWork work,
      @Nullable ElectionObserver observer, List<LeaderElectorCustomizer> customizers,
      String identity) {
    this.settings = settings;
    this.locks = locks;
    this.threads = threads;
    this.publisher = publisher;
    this.work = work;
    this.observer = observer;
    this.customizers = customizers;
    this.identity = identity;
  }

  /** Builds the elector of {@code election}; it starts with the application context. */
  LeaderElector create(String election) {
    ElectionSettings resolved = settings.resolve(election);
    LeaseLock lock = locks.create(resolved);
    if (observer != null) {
      lock = observer.observe(election, lock);
    }
    EventPublishingListener events = new EventPublishingListener(election, publisher);
    LeaderElector.Builder builder = LeaderElector.builder(lock, identity)
        .timings(resolved.timings())
        .releaseOnClose(resolved.releaseOnShutdown())
        .priority(resolved.priority())
        .threads(threads)
        .listener(work.listener(election, resolved.timings().renewDeadline().dividedBy(2)))
        .listener(events);
    if (observer != null) {
      builder.listener(observer.listener(election));
    }
    customizers.forEach(customizer -> customizer.customize(election, builder));
    LeaderElector elector = builder.build();
    events.attach(elector);
    if (observer != null) {
      observer.bind(election, elector);
    }
    created.add(elector);
    return elector;
  }

  /** The electors this factory built, which the lifecycle starts and stops. */
  List<LeaderElector> created() {
    return List.copyOf(created);
  }
}
