package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.LeaderElectorCustomizer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Builds one {@link LeaderElector} per election from its settings: the chosen lock, this
 * process's identity in the election and the shared threads, then the starter's
 * {@link ElectionContributor}s (events, coordination, leader-scoped work, metrics) in order, then
 * the application's customizers.
 */
final class LeaderElectorFactory {

  private final ElectionSettingsResolver settings;
  private final ElectionLocks locks;
  private final ElectionThreads threads;
  private final List<ElectionContributor> contributors;
  private final List<LeaderElectorCustomizer> customizers;
  private final List<LeaderElector> created = new CopyOnWriteArrayList<>();

  LeaderElectorFactory(ElectionSettingsResolver settings, ElectionLocks locks,
      ElectionThreads threads, List<ElectionContributor> contributors,
      List<LeaderElectorCustomizer> customizers) {
    this.settings = settings;
    this.locks = locks;
    this.threads = threads;
    this.contributors = List.copyOf(contributors);
    this.customizers = List.copyOf(customizers);
  }

  /** Builds the elector of {@code election}; it starts with the application context. */
  LeaderElector create(String election) {
    ElectionSettings resolved = settings.resolve(election);
    LeaseLock lock = locks.create(resolved);
    for (ElectionContributor contributor : contributors) {
      lock = contributor.lock(election, lock);
    }
    LeaderElector.Builder builder = LeaderElector.builder(lock, resolved.identity())
        .timings(resolved.timings())
        .releaseOnClose(resolved.releaseOnShutdown())
        .priority(resolved.priority())
        .threads(threads);
    contributors.forEach(contributor ->
        contributor.customize(election, resolved.timings(), builder));
    customizers.forEach(customizer -> customizer.customize(election, builder));
    LeaderElector elector = builder.build();
    contributors.forEach(contributor -> contributor.built(election, elector));
    created.add(elector);
    return elector;
  }

  /** The electors this factory built, which the lifecycle starts and stops. */
  List<LeaderElector> created() {
    return List.copyOf(created);
  }
}
