package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Lease;
import java.time.Duration;
import java.util.Objects;

/**
 * Creates {@link LeaseLock}s held in a Kubernetes API server.
 *
 * <pre>{@code
 * LeaseLock lock = KubernetesLocks.lease(apiClient, "payments", "report-job", Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Every call is bounded by {@code requestTimeout}, which must be shorter than the election's
 * renew deadline. Both locks can watch their object (verb {@code watch} on it), so followers
 * learn of every change at once; without that verb they poll. A watch holds a thread of its own
 * while it runs. The {@code ApiClient} is used as it is and never changed; the locks are
 * thread-safe.
 */
public final class KubernetesLocks {

  static final String FIELD_MANAGER = "leaderelection";
  /** How long the server keeps one watch open before the lock opens the next. */
  static final int WATCH_TIMEOUT_SECONDS = 300;

  private KubernetesLocks() {
  }

  /**
   * A lock on the {@code coordination.k8s.io/v1} Lease {@code namespace/name}, the recommended
   * lock. Needs the verbs get and update on that Lease and create on leases in the namespace.
   *
   * @throws IllegalArgumentException when the name or namespace is not a valid Kubernetes name,
   *     or the timeout is not positive
   */
  public static LeaseLock lease(ApiClient client, String namespace, String name,
      Duration requestTimeout) {
    ObjectReference object = new ObjectReference("leases", "coordination.k8s.io", namespace, name);
    ApiCalls calls = calls(client, requestTimeout, object);
    CoordinationV1Api api = new CoordinationV1Api(client);
    ObjectApi<V1Lease> leases = new ObjectApi<>(calls, V1Lease.class,
        () -> api.readNamespacedLease(name, namespace).buildCall(null),
        lease -> () -> api.createNamespacedLease(namespace, lease)
            .fieldManager(FIELD_MANAGER).buildCall(null),
        lease -> () -> api.replaceNamespacedLease(name, namespace, lease)
            .fieldManager(FIELD_MANAGER).buildCall(null),
        () -> api.listNamespacedLease(namespace).fieldSelector("metadata.name=" + name)
            .watch(true).timeoutSeconds(WATCH_TIMEOUT_SECONDS).buildCall(null));
    return new ObjectLock<>("Lease", object, leases, new LeaseCodec(object));
  }

  /**
   * A lock on the ConfigMap {@code namespace/name}, in client-go's
   * {@code control-plane.alpha.kubernetes.io/leader} annotation format, for clusters or tools
   * that still use ConfigMap locks. Other data and annotations of the ConfigMap are kept.
   *
   * @throws IllegalArgumentException when the name or namespace is not a valid Kubernetes name,
   *     or the timeout is not positive
   */
  public static LeaseLock configMap(ApiClient client, String namespace, String name,
      Duration requestTimeout) {
    ObjectReference object = new ObjectReference("configmaps", "", namespace, name);
    ApiCalls calls = calls(client, requestTimeout, object);
    CoreV1Api api = new CoreV1Api(client);
    ObjectApi<V1ConfigMap> configMaps = new ObjectApi<>(calls, V1ConfigMap.class,
        () -> api.readNamespacedConfigMap(name, namespace).buildCall(null),
        configMap -> () -> api.createNamespacedConfigMap(namespace, configMap)
            .fieldManager(FIELD_MANAGER).buildCall(null),
        configMap -> () -> api.replaceNamespacedConfigMap(name, namespace, configMap)
            .fieldManager(FIELD_MANAGER).buildCall(null),
        () -> api.listNamespacedConfigMap(namespace).fieldSelector("metadata.name=" + name)
            .watch(true).timeoutSeconds(WATCH_TIMEOUT_SECONDS).buildCall(null));
    return new ObjectLock<>("ConfigMap", object, configMaps, new ConfigMapCodec(object));
  }

  private static ApiCalls calls(ApiClient client, Duration requestTimeout,
      ObjectReference object) {
    Objects.requireNonNull(client, "client");
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "requestTimeout is " + requestTimeout + " but must be greater than zero");
    }
    return new ApiCalls(client, requestTimeout, object);
  }
}
