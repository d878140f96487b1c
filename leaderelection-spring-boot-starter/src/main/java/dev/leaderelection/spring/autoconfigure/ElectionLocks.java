package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.ElectionLockProvider;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.LockType;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.MigrateFrom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Chooses and creates each election's lock, and is the one class that makes locks from the
 * application's {@link KubernetesLocks}. The application's lock wins: the one an
 * {@link ElectionLockProvider} gives for the election, else, for the default election, its only
 * {@link LeaseLock} bean (unless a provider gives that bean to another election). Otherwise
 * {@code auto} means a Lease when a Kubernetes API is configured, else the in-memory lock with
 * one clear warning; {@code etcd} a key in etcd v3 (see {@link EtcdElectionLocks}).
 */
final class ElectionLocks {

  private static final Logger log = LoggerFactory.getLogger(ElectionLocks.class);

  private final @Nullable KubernetesLocks locks;
  private final @Nullable EtcdElectionLocks etcd;
  private final ObjectProvider<ElectionLockProvider> providers;
  private final ObjectProvider<LeaseLock> lockBeans;
  private final LeaderElections elections;

  /**
   * @param locks the application's Kubernetes locks, or null when no Kubernetes API is set up
   * @param etcd the etcd locks, or null when {@code leaderelection-etcd} is not on the classpath
   */
  ElectionLocks(@Nullable KubernetesLocks locks, @Nullable EtcdElectionLocks etcd,
      ObjectProvider<ElectionLockProvider> providers, ObjectProvider<LeaseLock> lockBeans,
      LeaderElections elections) {
    this.locks = locks;
    this.etcd = etcd;
    this.providers = providers;
    this.lockBeans = lockBeans;
    this.elections = elections;
  }

  LeaseLock create(ElectionSettings settings) {
    LeaseLock own = applicationLock(settings.name());
    if (own != null) {
      return own;
    }
    LockType type = settings.lock();
    if (type == LockType.AUTO) {
      type = locks != null ? LockType.LEASE : LockType.IN_MEMORY;
      if (locks == null) {
        log.warn("No Kubernetes API is configured (no service account, no kubeconfig): election "
            + "'{}' uses an in-memory lock, so it is local to this JVM and every replica leads. "
            + "Set {}.lock=in-memory to silence this warning.", settings.name(),
            settings.propertyPrefix());
      }
    }
    if (settings.migrateFrom() != null && type != LockType.LEASE) {
      throw new InvalidLeaderElectionPropertyException(settings.propertyPrefix()
          + ".migrate-from", settings.migrateFrom().name().toLowerCase(Locale.ROOT),
          "moves an election to a Lease, and the election's lock is " + type.name().toLowerCase(Locale.ROOT)
              .replace('_', '-'), "set lock=lease (or auto, with a Kubernetes API), or remove "
              + "migrate-from");
    }
    return switch (type) {
      case IN_MEMORY -> new InMemoryLeaseLock(settings.leaseName());
      case LEASE -> lease(settings);
      case CONFIGMAP -> requireLocks(settings).configMap(settings.namespace(),
          settings.leaseName(), requestTimeout(settings));
      case ETCD -> requireEtcd(settings).create(settings);
      case AUTO -> throw new IllegalStateException("resolved above");
    };
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

  /** Each API call may take at most half the renew deadline, leaving time for a retry. */
  static Duration requestTimeout(ElectionSettings settings) {
    return settings.timings().renewDeadline().dividedBy(2);
  }

  /** The election's Lease, held together with the old lock while it migrates from one. */
  private LeaseLock lease(ElectionSettings settings) {
    KubernetesLocks kubernetes = requireLocks(settings);
    LeaseLock lease = kubernetes.lease(settings.namespace(), settings.leaseName(),
        requestTimeout(settings));
    MigrateFrom from = settings.migrateFrom();
    if (from == null) {
      return lease;
    }
    LeaseLock old = switch (from) {
      case CONFIGMAP -> kubernetes.configMap(settings.namespace(), settings.migrateFromName(),
          requestTimeout(settings));
      case ENDPOINTS -> kubernetes.endpoints(settings.namespace(), settings.migrateFromName(),
          requestTimeout(settings));
    };
    return kubernetes.migrating(old, lease);
  }

  private EtcdElectionLocks requireEtcd(ElectionSettings settings) {
    if (etcd == null) {
      throw new InvalidLeaderElectionPropertyException(settings.propertyPrefix() + ".lock", "etcd",
          "needs dev.leaderelection:leaderelection-etcd on the classpath, and it is not there",
          "add the dependency dev.leaderelection:leaderelection-etcd (the BOM gives its version)");
    }
    return etcd;
  }

  private KubernetesLocks requireLocks(ElectionSettings settings) {
    if (locks == null) {
      throw new InvalidLeaderElectionPropertyException(settings.propertyPrefix() + ".lock",
          settings.lock().name().toLowerCase().replace('_', '-'),
          "needs a Kubernetes API, and none is configured (no service account, no kubeconfig, "
              + "no ApiClient bean)",
          "run in a cluster, set KUBECONFIG, define an ApiClient bean, or use lock=auto or "
              + "lock=in-memory");
    }
    return locks;
  }
}
