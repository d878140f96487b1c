package dev.leaderelection.kubernetes;

import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.testing.ObservedElectors;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Electors on one Lease of a real API server, each with its own client, observed as
 * {@link ObservedElectors} says; the Kubernetes locks of each client are closed with it. Public
 * for the tests of the sub-packages, to which it also opens the test hooks of
 * {@link KubernetesLocks}.
 */
public final class ElectorFixture extends ObservedElectors {

  private final Map<ApiClient, KubernetesLocks> locks = new ConcurrentHashMap<>();

  /** A Lease lock made by this fixture's {@link KubernetesLocks} for {@code client}. */
  public LeaseLock lease(ApiClient client, String namespace, String name) {
    return locks(client).lease(namespace, name, REQUEST_TIMEOUT);
  }

  /** A Lease lock of {@code client}'s locks whose watches the server ends after the timeout. */
  public LeaseLock lease(ApiClient client, String namespace, String name,
      Duration requestTimeout, Duration watchTimeout) {
    return locks(client).lease(namespace, name, requestTimeout, watchTimeout);
  }

  /** How many objects' latest states the shared watches of {@code client}'s locks keep. */
  public int watchedObjectsKept(ApiClient client) {
    return locks(client).watchedObjectsKept();
  }

  /** The locks of {@code client}, one per client so its locks share watches; closed with this. */
  public KubernetesLocks locks(ApiClient client) {
    return locks.computeIfAbsent(client, KubernetesLocks::create);
  }

  @Override
  public void close() {
    super.close();
    locks.values().forEach(KubernetesLocks::close);
    locks.clear();
  }
}
