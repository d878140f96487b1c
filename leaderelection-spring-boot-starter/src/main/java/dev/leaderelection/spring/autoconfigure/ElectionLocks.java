package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
import dev.leaderelection.spring.ElectionLockProvider;
import dev.leaderelection.spring.LeaseLockFactory;
import dev.leaderelection.spring.LeaseLockFactory.LockRequest;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.MigrateFrom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Chooses and creates each election's lock. The application's lock wins: the one an
 * {@link ElectionLockProvider} gives for the election, else, for the default election, its only
 * {@link LeaseLock} bean (unless a provider gives that bean to another election). Otherwise the
 * backend ({@link LeaseLockFactory}) its {@code lock} property names makes it; {@code auto} is
 * the first backend in order that is configured, and choosing the in-memory one that way gets
 * one clear warning.
 */
final class ElectionLocks {

  /** The name of the in-memory backend, the last resort of {@code lock=auto}. */
  static final String IN_MEMORY = "in-memory";

  private static final Logger log = LoggerFactory.getLogger(ElectionLocks.class);


  private final List<LeaseLockFactory> backends;
  private final ObjectProvider<ElectionLockProvider> providers;
  private final ObjectProvider<LeaseLock> lockBeans;
  private final LeaderElections elections;
  private final Map<LockReference, Claimant> claimed = new ConcurrentHashMap<>();

  /** @param backends every backend present, in order */
  ElectionLocks(List<LeaseLockFactory> backends, ObjectProvider<ElectionLockProvider> providers,
      ObjectProvider<LeaseLock> lockBeans, LeaderElections elections) {
    this.backends = List.copyOf(backends);
    this.providers = providers;
    this.lockBeans = lockBeans;
    this.elections = elections;
  }

  /**
   * The lock of an election.
   *
   * @throws InvalidLeaderElectionPropertyException when its backend is not present, or another
   *     election of this application already holds that lock
   */
  LeaseLock create(ElectionSettings settings) {
    LeaseLock lock = choose(settings);
    claim(lock.reference(), Claimant.election(settings));
    if (settings.migrateFrom() != null && lock.reference().namespace() != null) {
      claim(new LockReference(settings.migrateFrom() == MigrateFrom.CONFIGMAP ? "ConfigMap"
          : "Endpoints", lock.reference().namespace(), settings.migrateFromName()),
          Claimant.election(settings));
    }
    return lock;
  }

  /**
   * The lock of one shard of a group, from the group's backend ({@link ElectionLockProvider}s
   * give elections' locks, not shards'), claimed as an election's is.
   *
   * @throws InvalidLeaderElectionPropertyException when the backend is not present, or an
   *     election or group of this application already holds that lock
   */
  LeaseLock createShard(ElectionSettings shard) {
    LeaseLock lock = backend(shard).create(new LockRequest(shard.name(), shard.leaseName(),
        shard.timings(), shard.property("lock")));
    claim(lock.reference(), Claimant.shard(shard));
    return lock;
  }

  /**
   * The membership of a group, from the backend that holds its shards.
   *
   * @throws InvalidLeaderElectionPropertyException when that backend cannot hold groups
   */
  GroupMembership membership(GroupSettings group) {
    ElectionSettings settings = group.settings();
    LeaseLockFactory backend = backend(settings);
    return backend.groupMembership(new LockRequest(group.name(), group.name(),
        settings.timings(), settings.property("lock"))).orElseThrow(() ->
            new InvalidLeaderElectionPropertyException(settings.property("lock"),
                backend.name(), "holds elections but not sharded groups: the backend '"
                    + backend.name() + "' gives no group membership, so the replicas of group '"
                    + group.name() + "' could not find each other",
                "use a backend that holds groups (lease, configmap, etcd, in-memory) for this "
                    + "group, or one whose LeaseLockFactory implements groupMembership"));
  }

  /**
   * Two elections (or shards) of one process on one lock would both be led by it, with different
   * fencing tokens, and yielding one would end the other.
   */
  private void claim(LockReference reference, Claimant claimant) {
    Claimant holder = claimed.putIfAbsent(reference, claimant);
    if (holder != null && !holder.what().equals(claimant.what())) {
      throw new InvalidLeaderElectionPropertyException(claimant.property(), claimant.value(),
          "holds " + claimant.what() + " on " + reference.kind() + " "
              + (reference.namespace() == null ? "" : reference.namespace() + "/")
              + reference.name() + ", which " + holder.what() + " of this application holds "
              + "too: this process would lead both at once, and yielding one would end the other",
          claimant.fix());
    }
  }

  /**
   * Who holds a lock of this application, and the property that named the lock: an election's
   * {@code lease-name}, or for a shard ({@code <group>-<shard>}) the group's own name; and how
   * to mend the collision from its side.
   */
  private record Claimant(String what, String property, String value, String fix) {

    static Claimant election(ElectionSettings election) {
      return new Claimant("election '" + election.name() + "'",
          election.property("lease-name"), election.leaseName(), "give each election a lock of "
              + "its own (its own lease-name, or kubernetes.migration.name)");
    }

    static Claimant shard(ElectionSettings shard) {
      return new Claimant("shard " + shard.leaseName() + " of group '" + shard.name() + "'",
          ElectionSettingsResolver.PREFIX + ".groups." + shard.name(), shard.name(),
          "give the group another name, or the other election another lease-name: the shards "
              + "of group '" + shard.name() + "' are held on " + shard.name() + "-<shard>");
    }
  }

  private LeaseLock choose(ElectionSettings settings) {
    LeaseLock own = applicationLock(settings.name());
    if (own != null) {
      return own;
    }
    LeaseLockFactory backend = backend(settings);
    if (settings.migrateFrom() != null && !"lease".equals(backend.name())) {
      throw new InvalidLeaderElectionPropertyException(
          settings.property("kubernetes.migration.from"),
          settings.migrateFrom().name().toLowerCase(Locale.ROOT),
          "moves an election to a Lease, and the election's lock is " + backend.name(),
          "set lock=lease (or auto, with a Kubernetes API), or remove kubernetes.migration.from");
    }
    return backend.create(new LockRequest(settings.name(), settings.leaseName(),
        settings.timings(), settings.property("lock")));
  }

  /**
   * The backend that holds the election: the one its {@code lock} property names, or for
   * {@code auto} the first that is configured.
   *
   * @throws InvalidLeaderElectionPropertyException when no backend of that name is present
   */
  LeaseLockFactory backend(ElectionSettings settings) {
    String lock = settings.lock();
    if ("auto".equals(lock)) {
      LeaseLockFactory chosen = backends.stream().filter(LeaseLockFactory::isConfigured)
          .findFirst().orElseThrow(() -> unknown(settings, lock));
      if (IN_MEMORY.equals(chosen.name())) {
        log.warn("No backend is configured (no Kubernetes API: no service account, no "
            + "kubeconfig; no etcd endpoints): election '{}' uses an in-memory lock, so it is "
            + "local to this JVM and every replica leads. Set {}=in-memory to silence this "
            + "warning.", settings.name(), settings.property("lock"));
      }
      return chosen;
    }
    return backends.stream().filter(backend -> backend.name().equals(lock)).findFirst()
        .orElseThrow(() -> unknown(settings, lock));
  }

  private InvalidLeaderElectionPropertyException unknown(ElectionSettings settings, String lock) {
    String present = backends.stream().map(LeaseLockFactory::name)
        .collect(Collectors.joining(", "));
    if ("auto".equals(lock)) {
      return new InvalidLeaderElectionPropertyException(settings.property("lock"), lock,
          "finds no backend that is configured among those here: " + present,
          "configure one of them (run in a cluster or set KUBECONFIG for a Lease), or name one");
    }
    String module = "etcd".equals(lock) ? "dev.leaderelection:leaderelection-etcd" : null;
    return new InvalidLeaderElectionPropertyException(settings.property("lock"), lock,
        module != null ? "needs " + module + " on the classpath, and it is not there"
            : "names no backend present; the backends here are " + present + " (and auto)",
        module != null ? "add the dependency " + module + " (the BOM gives its version)"
            : "use one of them, or add the module of the backend '" + lock + "'");
  }

  /** The application's lock for {@code election}, or null to choose one from its settings. */
  private @Nullable LeaseLock applicationLock(String election) {
    List<ElectionLockProvider> all = providers.orderedStream().toList();
    List<LeaseLock> provided = provided(all, election);
    if (provided.size() > 1) {
      throw new IllegalStateException(provided.size() + " ElectionLockProvider beans give a lock "
          + "for election '" + election + "', but at most one may");
    }
    if (!provided.isEmpty()) {
      return provided.get(0);
    }
    if (!LeaderElectionProperties.DEFAULT_ELECTION.equals(election)) {
      return null;
    }
    List<LeaseLock> candidates = lockBeans.orderedStream()
        .filter(bean -> !givenToNamedElection(all, bean)).toList();
    return candidates.size() == 1 ? candidates.get(0) : null;
  }

  private static List<LeaseLock> provided(List<ElectionLockProvider> all, String election) {
    return all.stream().flatMap(provider -> provider.lock(election).stream()).toList();
  }

  /** A lock bean that a provider gives to a named election is not the default election's. */
  private boolean givenToNamedElection(List<ElectionLockProvider> all, LeaseLock bean) {
    return elections.names().stream()
        .filter(name -> !LeaderElectionProperties.DEFAULT_ELECTION.equals(name))
        .anyMatch(name -> provided(all, name).stream().anyMatch(lock -> lock == bean));
  }

  /** Each lock call may take at most half the renew deadline, leaving time for a retry. */
  static Duration requestTimeout(LeaseTimings timings) {
    return timings.renewDeadline().dividedBy(2);
  }
}
