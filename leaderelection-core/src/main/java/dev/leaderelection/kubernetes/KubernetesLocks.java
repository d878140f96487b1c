package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Lease;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Creates {@link LeaseLock}s held in a Kubernetes API server.
 *
 * <pre>{@code
 * LeaseLock lock = KubernetesLocks.lease(apiClient, "payments", "report-job", Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Every call is bounded by {@code requestTimeout}, which must be shorter than the election's
 * renew deadline. Both locks can watch their object (verb {@code watch} on it), so followers
 * learn of every change at once; without that verb they poll. A watch runs on a thread of its
 * own, and locks made with the same {@code ApiClient} share watches: locks on one object share
 * one, and Lease locks on several Leases of one namespace share one watch on all Leases there
 * when the client may watch them (verb {@code watch} on {@code leases} without
 * {@code resourceNames}), so any number of elections needs one watch thread per namespace.
 * Otherwise each Lease keeps a watch of its own. The {@code ApiClient} is used as it is and never
 * changed; the locks are thread-safe.
 *
 * @since 0.1.0
 */
public final class KubernetesLocks {

  static final String FIELD_MANAGER = "leaderelection";
  /** How long the server keeps one watch open before the lock opens the next. */
  static final Duration WATCH_TIMEOUT = Duration.ofMinutes(5);

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
    return lease(client, namespace, name, requestTimeout, WATCH_TIMEOUT);
  }

  /** A Lease lock whose watches the server ends after {@code watchTimeout}; for tests. */
  static LeaseLock lease(ApiClient client, String namespace, String name,
      Duration requestTimeout, Duration watchTimeout) {
    ObjectReference object = new ObjectReference("leases", "coordination.k8s.io", namespace, name);
    ApiCalls calls = calls(client, requestTimeout, object);
    CoordinationV1Api api = new CoordinationV1Api(client);
    ObjectApi<V1Lease> leases = new ObjectApi<>(calls, V1Lease.class,
        () -> api.readNamespacedLease(name, namespace).buildCall(null),
        lease -> () -> api.createNamespacedLease(namespace, lease)
            .fieldManager(FIELD_MANAGER).buildCall(null),
        lease -> () -> api.replaceNamespacedLease(name, namespace, lease)
            .fieldManager(FIELD_MANAGER).buildCall(null),
        (watched, resourceVersion, seconds) -> () -> api.listNamespacedLease(namespace)
            .fieldSelector(nameSelector(watched)).resourceVersion(resourceVersion)
            .allowWatchBookmarks(true).watch(true).timeoutSeconds(seconds).buildCall(null),
        watchTimeout);
    return new ObjectLock<>("Lease", object, leases, new LeaseCodec(object), true);
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
        (watched, resourceVersion, seconds) -> () -> api.listNamespacedConfigMap(namespace)
            .fieldSelector(nameSelector(watched)).resourceVersion(resourceVersion)
            .allowWatchBookmarks(true).watch(true).timeoutSeconds(seconds).buildCall(null),
        WATCH_TIMEOUT);
    return new ObjectLock<>("ConfigMap", object, configMaps, new ConfigMapCodec(object), false);
  }

  private static @Nullable String nameSelector(@Nullable String name) {
    return name == null ? null : "metadata.name=" + name;
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
