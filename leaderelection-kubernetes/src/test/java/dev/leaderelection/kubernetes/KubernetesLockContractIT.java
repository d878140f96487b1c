package dev.leaderelection.kubernetes;

import dev.leaderelection.AsyncAsBlocking;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lock contract against a real API server, for the Lease, ConfigMap and Endpoints locks, and
 * for the non-blocking calls of the Lease and ConfigMap locks.
 */
@ExtendWith(KubernetesApiServerExtension.class)
class KubernetesLockContractIT {

  @Nested
  class LeaseLockContract extends ObjectLockContract {

    LeaseLockContract() {
      super("/apis/coordination.k8s.io/v1/namespaces/%s/leases/%s");
    }

    @Override
    LeaseLock lock(KubernetesApiServer server, String namespace, String name) {
      return KubernetesLocks.create(server.adminClient())
          .lease(namespace, name, Duration.ofSeconds(5));
    }
  }

  /** The Lease lock's non-blocking calls, the ones the elector makes, under the same contract. */
  @Nested
  class AsyncLeaseLockContract extends ObjectLockContract {

    AsyncLeaseLockContract() {
      super("/apis/coordination.k8s.io/v1/namespaces/%s/leases/%s");
    }

    @Override
    LeaseLock lock(KubernetesApiServer server, String namespace, String name) {
      return new AsyncAsBlocking(KubernetesLocks.create(server.adminClient())
          .lease(namespace, name, Duration.ofSeconds(5)));
    }
  }

  /** The ConfigMap lock's non-blocking calls (an annotation codec) under the same contract. */
  @Nested
  class AsyncConfigMapLockContract extends ObjectLockContract {

    AsyncConfigMapLockContract() {
      super("/api/v1/namespaces/%s/configmaps/%s");
    }

    @Override
    LeaseLock lock(KubernetesApiServer server, String namespace, String name) {
      return new AsyncAsBlocking(KubernetesLocks.create(server.adminClient())
          .configMap(namespace, name, Duration.ofSeconds(5)));
    }
  }

  @Nested
  class ConfigMapLockContract extends ObjectLockContract {

    ConfigMapLockContract() {
      super("/api/v1/namespaces/%s/configmaps/%s");
    }

    @Override
    LeaseLock lock(KubernetesApiServer server, String namespace, String name) {
      return KubernetesLocks.create(server.adminClient()).configMap(namespace, name,
          Duration.ofSeconds(5));
    }
  }

  @Nested
  class EndpointsLockContract extends ObjectLockContract {

    EndpointsLockContract() {
      super("/api/v1/namespaces/%s/endpoints/%s");
    }

    @Override
    LeaseLock lock(KubernetesApiServer server, String namespace, String name) {
      return KubernetesLocks.create(server.adminClient()).endpoints(namespace, name,
          Duration.ofSeconds(5));
    }
  }

  /** Locks on fresh objects in a namespace of their own. */
  abstract static class ObjectLockContract extends dev.leaderelection.contract.LeaseLockContract {

    private final String pathFormat;
    private final Map<LeaseLock, String> names = new HashMap<>();
    private KubernetesApiServer server;
    private String namespace;

    ObjectLockContract(String pathFormat) {
      this.pathFormat = pathFormat;
    }

    abstract LeaseLock lock(KubernetesApiServer server, String namespace, String name);

    @BeforeEach
    void connect(KubernetesApiServer apiServer) {
      if (server == null) {
        server = apiServer;
        namespace = apiServer.createNamespace("contract");
      }
    }

    @Override
    protected LeaseLock newLock() {
      return named("lock-" + UUID.randomUUID());
    }

    @Override
    protected LeaseLock newLockFor(LeaseLock lock) {
      return named(names.get(lock));
    }

    @Override
    protected void deleteRecord(LeaseLock lock) {
      server.raw("DELETE", pathFormat.formatted(namespace, names.get(lock)), null);
    }

    private LeaseLock named(String name) {
      LeaseLock lock = lock(server, namespace, name);
      names.put(lock, name);
      return lock;
    }
  }
}
