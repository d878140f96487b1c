package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.group.ShardListener;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.events.ShardTransitionEvents;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records Kubernetes Events on the Lease (or ConfigMap) of each shard of every group held on
 * them, each time this replica acquires or loses the shard ({@link ShardTransitionEvents}), each
 * call within half the renew deadline, as {@link KubernetesEventsContributor} does for
 * elections. A problem recording them shows as {@code events} in the group's health details and
 * never stops the group.
 */
final class KubernetesGroupEventsContributor implements GroupContributor {

  private static final ShardListener NONE = new ShardListener() { };

  private final KubernetesLocks locks;
  private final ElectionSettingsResolver settings;
  private final Map<String, Map<Integer, LockReference>> references = new ConcurrentHashMap<>();
  private final Map<String, ShardTransitionEvents> events = new ConcurrentHashMap<>();

  KubernetesGroupEventsContributor(KubernetesLocks locks, ElectionSettingsResolver settings) {
    this.locks = locks;
    this.settings = settings;
  }

  /** Notes which object each shard is held on. */
  @Override
  public LeaseLock lock(String group, int shard, LeaseLock lock) {
    LockReference reference = lock.reference();
    if (reference.namespace() != null) {
      references.computeIfAbsent(group, name -> new ConcurrentHashMap<>()).put(shard, reference);
    }
    return lock;
  }

  /**
   * Records Events for a group on Leases or ConfigMaps, unless its
   * {@code kubernetes.events.enabled} is false; other groups get none.
   */
  @Override
  public ShardListener listener(String group, LeaseTimings timings) {
    Map<Integer, LockReference> shards = references.get(group);
    if (shards == null || !settings.resolveGroup(group).settings().events()) {
      return NONE;
    }
    ShardTransitionEvents recorder;
    try {
      recorder = locks.shardEvents(group, shards::get, timings.renewDeadline().dividedBy(2));
    } catch (IllegalArgumentException notKubernetes) {
      return NONE; // etcd or in-memory: no object to report on
    }
    events.put(group, recorder);
    return recorder;
  }

  /** The groups whose moves are recorded. */
  Set<String> recording() {
    return Set.copyOf(events.keySet());
  }

  @Override
  public Map<String, Object> healthDetails(String group) {
    ShardTransitionEvents recorder = events.get(group);
    return recorder == null ? Map.of()
        : recorder.problem().<Map<String, Object>>map(problem -> Map.of("events", problem))
            .orElse(Map.of());
  }
}
