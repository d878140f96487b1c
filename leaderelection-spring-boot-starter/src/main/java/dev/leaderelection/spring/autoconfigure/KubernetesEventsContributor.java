package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.events.TransitionEvents;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records Kubernetes Events on the Lease (or ConfigMap) of every election held on one, at each
 * transition ({@link TransitionEvents}), each call within half the renew deadline. A problem
 * recording them shows as {@code events} in the election's health details and never stops it.
 */
final class KubernetesEventsContributor implements ElectionContributor {

  private final KubernetesLocks locks;
  private final ElectionSettingsResolver settings;
  private final Map<String, LockReference> references = new ConcurrentHashMap<>();
  private final Map<String, TransitionEvents> events = new ConcurrentHashMap<>();

  KubernetesEventsContributor(KubernetesLocks locks, ElectionSettingsResolver settings) {
    this.locks = locks;
    this.settings = settings;
  }

  /** Notes which object the election is held on. */
  @Override
  public LeaseLock lock(String election, LeaseLock lock) {
    LockReference reference = lock.reference();
    if (reference.namespace() != null) {
      references.put(election, reference);
    }
    return lock;
  }

  /**
   * Records Events for an election on a Lease, ConfigMap or Endpoints, unless its
   * {@code kubernetes.events.enabled} is false; other locks get none.
   */
  @Override
  public void customize(String election, LeaseTimings timings, LeaderElector.Builder builder) {
    LockReference reference = references.get(election);
    if (reference == null || !settings.resolve(election).events()) {
      return;
    }
    TransitionEvents recorder;
    try {
      recorder = locks.events(reference, timings.renewDeadline().dividedBy(2));
    } catch (IllegalArgumentException notKubernetes) {
      return; // etcd, in-memory or an application's own kind of lock: no object to report on
    }
    events.put(election, recorder);
    builder.listener(recorder);
  }

  /** The elections whose transitions are recorded. */
  Set<String> recording() {
    return Set.copyOf(events.keySet());
  }

  @Override
  public Map<String, Object> healthDetails(String election) {
    TransitionEvents recorder = events.get(election);
    return recorder == null ? Map.of()
        : recorder.problem().<Map<String, Object>>map(problem -> Map.of("events", problem))
            .orElse(Map.of());
  }
}
