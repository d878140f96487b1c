package dev.leaderelection.kubernetes;

import dev.leaderelection.kubernetes.ApiCalls.CallBuilder;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Endpoints;
import io.kubernetes.client.openapi.models.V1Lease;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One kind of object that can hold a record: its names, how it stores the record, and the calls
 * of the official client's generated API on it. Immutable.
 *
 * @param kind the kind, as in {@code Lease default/my-app}
 * @param resourceName the plural resource, as RBAC names it
 * @param group the API group; empty for the core group
 * @param shareNamespaceWatch whether one watch on the whole namespace may serve several objects
 *     (false for kinds whose objects may be large, such as ConfigMaps)
 */
record ObjectKind<T extends KubernetesObject>(String kind, String resourceName, String group,
    Class<T> type, boolean shareNamespaceWatch, Function<ObjectReference, RecordCodec<T>> codec,
    Function<ApiClient, Calls<T>> calls) {

  /** The coordination.k8s.io/v1 Lease, the recommended kind. */
  static final ObjectKind<V1Lease> LEASE = new ObjectKind<>("Lease", "leases",
      "coordination.k8s.io", V1Lease.class, true, LeaseCodec::new, client -> {
        CoordinationV1Api api = new CoordinationV1Api(client);
        return new Calls<>() {
          @Override
          public CallBuilder read(ObjectReference object) {
            return () -> api.readNamespacedLease(object.name(), object.namespace())
                .buildCall(null);
          }

          @Override
          public CallBuilder create(ObjectReference object, V1Lease lease) {
            return () -> api.createNamespacedLease(object.namespace(), lease)
                .fieldManager(ApiCalls.FIELD_MANAGER).buildCall(null);
          }

          @Override
          public CallBuilder replace(ObjectReference object, V1Lease lease) {
            return () -> api.replaceNamespacedLease(object.name(), object.namespace(), lease)
                .fieldManager(ApiCalls.FIELD_MANAGER).buildCall(null);
          }

          @Override
          public CallBuilder watch(String namespace, @Nullable String fieldSelector,
              @Nullable String resourceVersion, int timeoutSeconds) {
            return () -> api.listNamespacedLease(namespace).fieldSelector(fieldSelector)
                .resourceVersion(resourceVersion).allowWatchBookmarks(true).watch(true)
                .timeoutSeconds(timeoutSeconds).buildCall(null);
          }
        };
      });

  /** The ConfigMap, with the record in client-go's annotation. */
  static final ObjectKind<V1ConfigMap> CONFIG_MAP = new ObjectKind<>("ConfigMap", "configmaps",
      "", V1ConfigMap.class, false, AnnotationCodec::configMap, client -> {
        CoreV1Api api = new CoreV1Api(client);
        return new Calls<>() {
          @Override
          public CallBuilder read(ObjectReference object) {
            return () -> api.readNamespacedConfigMap(object.name(), object.namespace())
                .buildCall(null);
          }

          @Override
          public CallBuilder create(ObjectReference object, V1ConfigMap configMap) {
            return () -> api.createNamespacedConfigMap(object.namespace(), configMap)
                .fieldManager(ApiCalls.FIELD_MANAGER).buildCall(null);
          }

          @Override
          public CallBuilder replace(ObjectReference object, V1ConfigMap configMap) {
            return () -> api.replaceNamespacedConfigMap(object.name(), object.namespace(),
                configMap).fieldManager(ApiCalls.FIELD_MANAGER).buildCall(null);
          }

          @Override
          public CallBuilder watch(String namespace, @Nullable String fieldSelector,
              @Nullable String resourceVersion, int timeoutSeconds) {
            return () -> api.listNamespacedConfigMap(namespace).fieldSelector(fieldSelector)
                .resourceVersion(resourceVersion).allowWatchBookmarks(true).watch(true)
                .timeoutSeconds(timeoutSeconds).buildCall(null);
          }
        };
      });

  /**
   * The Endpoints object, with the record in client-go's annotation: for migrating from electors
   * that use it (the Endpoints API is deprecated since Kubernetes 1.33).
   */
  @SuppressWarnings("deprecation")
  static final ObjectKind<V1Endpoints> ENDPOINTS = new ObjectKind<>("Endpoints", "endpoints",
      "", V1Endpoints.class, false, AnnotationCodec::endpoints, client -> {
        CoreV1Api api = new CoreV1Api(client);
        return new Calls<>() {
          @Override
          public CallBuilder read(ObjectReference object) {
            return () -> api.readNamespacedEndpoints(object.name(), object.namespace())
                .buildCall(null);
          }

          @Override
          public CallBuilder create(ObjectReference object, V1Endpoints endpoints) {
            return () -> api.createNamespacedEndpoints(object.namespace(), endpoints)
                .fieldManager(ApiCalls.FIELD_MANAGER).buildCall(null);
          }

          @Override
          public CallBuilder replace(ObjectReference object, V1Endpoints endpoints) {
            return () -> api.replaceNamespacedEndpoints(object.name(), object.namespace(),
                endpoints).fieldManager(ApiCalls.FIELD_MANAGER).buildCall(null);
          }

          @Override
          public CallBuilder watch(String namespace, @Nullable String fieldSelector,
              @Nullable String resourceVersion, int timeoutSeconds) {
            return () -> api.listNamespacedEndpoints(namespace).fieldSelector(fieldSelector)
                .resourceVersion(resourceVersion).allowWatchBookmarks(true).watch(true)
                .timeoutSeconds(timeoutSeconds).buildCall(null);
          }
        };
      });

  /** The calls a lock makes, as built by the generated API for one kind. */
  interface Calls<T> {

    CallBuilder read(ObjectReference object);

    CallBuilder create(ObjectReference object, T created);

    CallBuilder replace(ObjectReference object, T replacement);

    /** A list call with watch=true on the namespace, filtered by the field selector if any. */
    CallBuilder watch(String namespace, @Nullable String fieldSelector,
        @Nullable String resourceVersion, int timeoutSeconds);
  }

  /** The kind named {@code kind} ({@code Lease}, {@code ConfigMap}, {@code Endpoints}), if any. */
  static Optional<ObjectKind<?>> named(String kind) {
    return Stream.of(LEASE, CONFIG_MAP, ENDPOINTS).<ObjectKind<?>>map(known -> known)
        .filter(known -> known.kind().equals(kind)).findFirst();
  }

  /** The API version of the kind, as references name it: {@code coordination.k8s.io/v1}. */
  String apiVersion() {
    return group.isEmpty() ? "v1" : group + "/v1";
  }

  /** The object of this kind named {@code name} in {@code namespace}; validates both names. */
  ObjectReference object(String namespace, String name) {
    return new ObjectReference(resourceName, group, namespace, name);
  }
}
