package dev.leaderelection.kubernetes.members;

import com.google.gson.JsonObject;
import dev.leaderelection.kubernetes.ApiCalls;
import dev.leaderelection.kubernetes.LockClient;
import dev.leaderelection.kubernetes.ObjectReference;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1Preconditions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The calls on the member Leases of one group in one namespace: read, create, replace and delete
 * one member's Lease, and list and watch all of them by the group's label. Sent through the
 * locks' {@link LockClient} within the request timeout, honouring a {@code Retry-After}
 * ({@link ApiCalls}); failures are {@code KubernetesApiException}s.
 */
final class MemberLeaseApi {

  static final String GROUP = "coordination.k8s.io";
  static final String RESOURCE = "leases";

  private final LockClient client;
  private final Duration timeout;
  private final String namespace;
  private final String labelSelector;
  private final Duration watchTimeout;
  /** The calls on the whole group; named after the group's label value, for messages. */
  private final ApiCalls groupCalls;
  private final CoordinationV1Api api;

  MemberLeaseApi(LockClient client, Duration timeout, String namespace, String group,
      Duration watchTimeout) {
    this.client = client;
    this.timeout = timeout;
    this.namespace = namespace;
    this.labelSelector = MemberNames.labelSelector(group);
    this.watchTimeout = watchTimeout;
    this.groupCalls = new ApiCalls(client, timeout, reference(MemberNames.labelValue(group)),
        List.of("list", "watch"), Set.of("list", "watch"));
    this.api = new CoordinationV1Api(client.apiClient());
  }

  String namespace() {
    return namespace;
  }

  String labelSelector() {
    return labelSelector;
  }

  /** The calls on the Lease named {@code name}. */
  ApiCalls calls(String name) {
    return new ApiCalls(client, timeout, reference(name),
        List.of("get", "create", "update", "delete"), Set.of("create"));
  }

  V1Lease read(ApiCalls calls) {
    return calls.execute("get", () -> api.readNamespacedLease(calls.object().name(), namespace)
        .buildCall(null), V1Lease.class);
  }

  V1Lease create(ApiCalls calls, V1Lease lease) {
    return calls.execute("create", () -> api.createNamespacedLease(namespace, lease)
        .fieldManager(ApiCalls.FIELD_MANAGER).buildCall(null), V1Lease.class);
  }

  V1Lease replace(ApiCalls calls, V1Lease lease) {
    return calls.execute("update", () -> api.replaceNamespacedLease(calls.object().name(),
        namespace, lease).fieldManager(ApiCalls.FIELD_MANAGER).buildCall(null), V1Lease.class);
  }

  void delete(ApiCalls calls) {
    calls.execute("delete", () -> api.deleteNamespacedLease(calls.object().name(), namespace)
        .buildCall(null), JsonObject.class);
  }

  /**
   * Deletes the Lease named {@code name} if it is still at {@code resourceVersion}: a Lease left
   * by a member that died, never one renewed meanwhile (that is a 409).
   */
  void deleteAbandoned(String name, String resourceVersion) {
    calls(name).execute("delete", () -> api.deleteNamespacedLease(name, namespace)
        .body(new V1DeleteOptions().preconditions(new V1Preconditions()
            .resourceVersion(resourceVersion))).buildCall(null), JsonObject.class);
  }

  /** Every member Lease of the group, as JSON ({@code items} and {@code metadata}). */
  JsonObject list() {
    return groupCalls.execute("list", () -> api.listNamespacedLease(namespace)
        .labelSelector(labelSelector).buildCall(null), JsonObject.class);
  }

  /** Opens a watch on the group's member Leases from {@code resourceVersion}. */
  ApiCalls.Stream openWatch(@Nullable String resourceVersion) {
    int seconds = (int) watchTimeout.toSeconds();
    return groupCalls.stream("watch", () -> api.listNamespacedLease(namespace)
        .labelSelector(labelSelector).resourceVersion(resourceVersion)
        .allowWatchBookmarks(true).watch(true).timeoutSeconds(seconds).buildCall(null),
        watchTimeout.plusSeconds(30));
  }

  private ObjectReference reference(String name) {
    return new ObjectReference(RESOURCE, GROUP, namespace, name);
  }
}
