package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaseLock;
import dev.leaderelection.LeaseLockContractTest;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lock contract, against Leases in a real API server. */
@ExtendWith(KubernetesApiServerExtension.class)
class KubernetesLeaseLockIT extends LeaseLockContractTest {

  private static KubernetesApiServer server;
  private static String namespace;
  private final Map<LeaseLock, String> names = new HashMap<>();

  @BeforeAll
  static void createNamespace(KubernetesApiServer apiServer) {
    server = apiServer;
    namespace = apiServer.createNamespace("lease-contract");
  }

  @Override
  protected LeaseLock newLock() {
    return lockNamed("lease-" + UUID.randomUUID());
  }

  @Override
  protected LeaseLock newLockFor(LeaseLock lock) {
    return lockNamed(names.get(lock));
  }

  @Override
  protected void deleteRecord(LeaseLock lock) {
    server.raw("DELETE", "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases/"
        + names.get(lock), null);
  }

  private LeaseLock lockNamed(String name) {
    LeaseLock lock = KubernetesLocks.lease(server.adminClient(), namespace, name,
        Duration.ofSeconds(5));
    names.put(lock, name);
    return lock;
  }
}
