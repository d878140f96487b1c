package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.InMemoryLeaseLock;
import dev.leaderelection.LeaseLock;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.LockType;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and creates each election's lock. A {@link LeaseLock} bean of the application is used
 * as it is (the bean named {@code <name>LeaseLock} for a named election, the only unnamed one for
 * the default election); otherwise {@code auto} means a Lease when a Kubernetes API is
 * configured, else the in-memory lock with one clear warning.
 */
final class ElectionLocks {

  private static final Logger log = LoggerFactory.getLogger(ElectionLocks.class);

  private final @Nullable ApiClient client;
  private final @Nullable KubernetesLocks locks;
  private final Function<String, @Nullable LeaseLock> userLocks;

  /** @param userLocks finds the application's lock bean for an election, or null */
  ElectionLocks(@Nullable ApiClient client, Function<String, @Nullable LeaseLock> userLocks) {
    this.client = client;
    this.locks = client == null ? null : KubernetesLocks.create(client);
    this.userLocks = userLocks;
  }

  LeaseLock create(ElectionSettings settings) {
    LeaseLock userLock = userLocks.apply(settings.name());
    if (userLock != null) {
      return userLock;
    }
    LockType type = settings.lock();
    if (type == LockType.AUTO) {
      type = client != null ? LockType.LEASE : LockType.IN_MEMORY;
      if (client == null) {
        log.warn("No Kubernetes API is configured (no service account, no kubeconfig): election "
            + "'{}' uses an in-memory lock, so it is local to this JVM and every replica leads. "
            + "Set {}.lock=in-memory to silence this warning.", settings.name(),
            settings.propertyPrefix());
      }
    }
    return switch (type) {
      case IN_MEMORY -> new InMemoryLeaseLock(settings.leaseName());
      case LEASE -> requireLocks(settings).lease(settings.namespace(), settings.leaseName(),
          requestTimeout(settings));
      case CONFIGMAP -> requireLocks(settings).configMap(settings.namespace(),
          settings.leaseName(), requestTimeout(settings));
      case AUTO -> throw new IllegalStateException("resolved above");
    };
  }

  /** Each API call may take at most half the renew deadline, leaving time for a retry. */
  static Duration requestTimeout(ElectionSettings settings) {
    return settings.timings().renewDeadline().dividedBy(2);
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
