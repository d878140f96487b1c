package dev.leaderelection.kubernetes.coordinated;

import com.google.gson.JsonObject;
import dev.leaderelection.kubernetes.ApiCalls;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.LockClient;
import dev.leaderelection.kubernetes.ObjectReference;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1beta1LeaseCandidate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The calls on one {@code coordination.k8s.io} LeaseCandidate, in the version the API server
 * serves: {@code v1beta1} (Kubernetes 1.33 and later) or else {@code v1alpha2}, through the
 * official client's generic API with the {@code v1beta1} model (both versions share its fields).
 * Failures are {@link KubernetesApiException}s.
 */
final class LeaseCandidateApi {

  static final String GROUP = "coordination.k8s.io";
  static final String RESOURCE = "leasecandidates";

  /** The versions that hold LeaseCandidates, newest first. */
  private static final String V1BETA1 = "v1beta1";
  private static final String V1ALPHA2 = "v1alpha2";

  private final ApiCalls calls;
  private final CustomObjectsApi api;
  private final String version;
  private final Duration watchTimeout;

  private LeaseCandidateApi(ApiCalls calls, String version, Duration watchTimeout) {
    this.calls = calls;
    this.api = new CustomObjectsApi(calls.client());
    this.version = version;
    this.watchTimeout = watchTimeout;
  }

  /**
   * The API of the LeaseCandidate {@code namespace/name}, in the newest version the server serves.
   *
   * @throws CoordinatedElectionUnavailableException when it serves none
   * @throws KubernetesApiException when the server cannot be asked
   */
  static LeaseCandidateApi discover(LockClient client, Duration timeout, String namespace,
      String name, Duration watchTimeout) {
    // A refusal names the verbs of docs/kubernetes.md's Role that the candidacy lacks.
    ApiCalls calls = new ApiCalls(client, timeout, new ObjectReference(RESOURCE, GROUP,
        namespace, name), List.of("get", "create", "update", "delete", "watch"),
        Set.of("create"));
    CustomObjectsApi api = new CustomObjectsApi(calls.client());
    for (String version : List.of(V1BETA1, V1ALPHA2)) {
      try {
        V1APIResourceList resources = calls.execute("discover",
            () -> api.getAPIResources(GROUP, version).buildCall(null), V1APIResourceList.class);
        if (resources.getResources().stream().anyMatch(r -> r.getName().equals(RESOURCE))) {
          return new LeaseCandidateApi(calls, version, watchTimeout);
        }
      } catch (KubernetesApiException e) {
        if (e.statusCode() != 404) {
          throw e;
        }
      }
    }
    throw new CoordinatedElectionUnavailableException("The Kubernetes API server does not serve "
        + "LeaseCandidates (coordination.k8s.io/v1beta1 or v1alpha2), so coordinated leader "
        + "election cannot run there. It is beta since Kubernetes 1.33 and off by default: start "
        + "kube-apiserver with --feature-gates=CoordinatedLeaderElection=true and "
        + "--runtime-config=coordination.k8s.io/v1beta1=true, or elect without coordination");
  }

  /** The API version of the objects, such as {@code coordination.k8s.io/v1beta1}. */
  String apiVersion() {
    return GROUP + "/" + version;
  }

  ObjectReference object() {
    return calls.object();
  }

  /** A new LeaseCandidate of this API's version, named after {@link #object()}. */
  V1beta1LeaseCandidate newCandidate() {
    return new V1beta1LeaseCandidate().apiVersion(apiVersion()).kind("LeaseCandidate")
        .metadata(new V1ObjectMeta().namespace(object().namespace()).name(object().name()));
  }

  V1beta1LeaseCandidate read() {
    return calls.execute("get", () -> api.getNamespacedCustomObject(GROUP, version,
        object().namespace(), RESOURCE, object().name()).buildCall(null),
        V1beta1LeaseCandidate.class);
  }

  /** Reads another candidate of this namespace, such as the one the controller prefers. */
  V1beta1LeaseCandidate read(String name) {
    return calls.execute("get", () -> api.getNamespacedCustomObject(GROUP, version,
        object().namespace(), RESOURCE, name).buildCall(null), V1beta1LeaseCandidate.class);
  }

  V1beta1LeaseCandidate create(V1beta1LeaseCandidate candidate) {
    return calls.execute("create", () -> api.createNamespacedCustomObject(GROUP, version,
        object().namespace(), RESOURCE, candidate).fieldManager(ApiCalls.FIELD_MANAGER)
        .buildCall(null), V1beta1LeaseCandidate.class);
  }

  V1beta1LeaseCandidate replace(V1beta1LeaseCandidate candidate) {
    return calls.execute("update", () -> api.replaceNamespacedCustomObject(GROUP, version,
        object().namespace(), RESOURCE, object().name(), candidate)
        .fieldManager(ApiCalls.FIELD_MANAGER).buildCall(null), V1beta1LeaseCandidate.class);
  }

  void delete() {
    calls.execute("delete", () -> api.deleteNamespacedCustomObject(GROUP, version,
        object().namespace(), RESOURCE, object().name()).buildCall(null), JsonObject.class);
  }

  /** Opens a watch on this candidate (the name is always its own). */
  ApiCalls.Stream openWatch(@Nullable String name, @Nullable String resourceVersion) {
    int seconds = (int) watchTimeout.toSeconds();
    return calls.stream("watch", () -> api.listNamespacedCustomObject(GROUP, version,
            object().namespace(), RESOURCE).fieldSelector("metadata.name=" + object().name())
        .resourceVersion(resourceVersion).allowWatchBookmarks(true).watch(true)
        .timeoutSeconds(seconds).buildCall(null), watchTimeout.plusSeconds(30));
  }

  /** A candidate as a watch delivered it. */
  V1beta1LeaseCandidate decode(JsonObject object) {
    return JSON.getGson().fromJson(object, V1beta1LeaseCandidate.class);
  }
}
