package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.LeaseLockFactory;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The Kubernetes backends: {@code lease} (a coordination.k8s.io/v1 Lease, held together with the
 * old lock while an election migrates from one) and {@code configmap} (a ConfigMap annotated as
 * client-go does), in the namespace of each election's settings. Configured when a Kubernetes API
 * is. Thread-safe.
 */
final class KubernetesLockFactory implements LeaseLockFactory {

  /** The two kinds of Kubernetes object an election can be held on. */
  enum Kind {
    LEASE("lease", 100),
    CONFIGMAP("configmap", 200);

    private final String backend;
    private final int order;

    Kind(String backend, int order) {
      this.backend = backend;
      this.order = order;
    }
  }

  private final Kind kind;
  private final @Nullable KubernetesLocks locks;
  private final ObjectProvider<ElectionSettingsResolver> settings;

  /** @param locks the application's Kubernetes locks, or null when no Kubernetes API is set up */
  KubernetesLockFactory(Kind kind, @Nullable KubernetesLocks locks,
      ObjectProvider<ElectionSettingsResolver> settings) {
    this.kind = kind;
    this.locks = locks;
    this.settings = settings;
  }

  @Override
  public String name() {
    return kind.backend;
  }

  @Override
  public int getOrder() {
    return kind.order;
  }

  @Override
  public boolean isConfigured() {
    return locks != null;
  }

  /**
   * A group's members are member Leases in the group's namespace, whichever kind holds its
   * shards, live for the lease duration, each call bounded by half the renew deadline.
   */
  @Override
  public Optional<GroupMembership> groupMembership(LockRequest request) {
    KubernetesLocks kubernetes = kubernetes(request);
    ElectionSettings group = settings.getObject().resolve(request.election());
    return Optional.of(kubernetes.groupMembership(group.namespace(), request.leaseName(),
        request.timings().leaseDuration(), ElectionLocks.requestTimeout(request.timings())));
  }

  private KubernetesLocks kubernetes(LockRequest request) {
    KubernetesLocks kubernetes = locks;
    if (kubernetes == null) {
      throw new InvalidLeaderElectionPropertyException(request.lockProperty(), kind.backend,
          "needs a Kubernetes API, and none is configured (no service account, no kubeconfig, "
              + "no ApiClient bean)",
          "run in a cluster, set KUBECONFIG, define an ApiClient bean, or use lock=auto or "
              + "lock=in-memory");
    }
    return kubernetes;
  }

  @Override
  public LeaseLock create(LockRequest request) {
    KubernetesLocks kubernetes = kubernetes(request);
    ElectionSettings election = settings.getObject().resolve(request.election());
    Duration timeout = ElectionLocks.requestTimeout(request.timings());
    if (kind == Kind.CONFIGMAP) {
      return kubernetes.configMap(election.namespace(), request.leaseName(), timeout);
    }
    LeaseLock lease = kubernetes.lease(election.namespace(), request.leaseName(), timeout);
    if (election.migrateFrom() == null) {
      return lease;
    }
    LeaseLock old = switch (election.migrateFrom()) {
      case CONFIGMAP -> kubernetes.configMap(election.namespace(), election.migrateFromName(),
          timeout);
      case ENDPOINTS -> kubernetes.endpoints(election.namespace(), election.migrateFromName(),
          timeout);
    };
    return kubernetes.migrating(old, lease);
  }
}
