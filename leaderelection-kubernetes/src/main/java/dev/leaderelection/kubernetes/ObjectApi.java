package dev.leaderelection.kubernetes;

import io.kubernetes.client.common.KubernetesObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The calls a lock makes on one named object (read, create, replace) and the watches on it or on
 * its whole namespace, built by the official client's generated API for its {@code ObjectKind}
 * and executed through {@link ApiCalls}; failures are {@link KubernetesApiException}s.
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: public only so that its
 * {@code watch} package can watch the object and its {@code events} package can record Events
 * about it; it may change in any release. Only the locks' factory makes one.
 */
public final class ObjectApi<T extends KubernetesObject> {

  private final ApiCalls calls;
  private final ObjectKind<T> kind;
  private final ObjectKind.Calls<T> built;
  private final Duration watchTimeout;

  /** @param watchTimeout how long the server keeps one watch open before the next is opened */
  ObjectApi(ApiCalls calls, ObjectKind<T> kind, Duration watchTimeout) {
    this.calls = calls;
    this.kind = kind;
    this.built = kind.calls().apply(calls.client());
    this.watchTimeout = watchTimeout;
  }

  public ObjectReference object() {
    return calls.object();
  }

  ObjectKind<T> kind() {
    return kind;
  }

  /** The object's kind, as in {@code Lease default/my-app}. */
  public String kindName() {
    return kind.kind();
  }

  /** The API version of the object's kind, such as {@code coordination.k8s.io/v1}. */
  public String apiVersion() {
    return kind.apiVersion();
  }

  /** The class of the object's model. */
  public Class<T> type() {
    return kind.type();
  }

  /** Whether one watch on the whole namespace may serve several objects of this kind. */
  public boolean shareNamespaceWatch() {
    return kind.shareNamespaceWatch();
  }

  /**
   * Opens a watch within the request timeout; the caller reads and closes the response. A
   * connection silent for longer than the watch timeout (plus a margin) fails the read.
   *
   * @param name the one object to watch, or null for every object of the kind in the namespace
   * @param resourceVersion where to resume, or null to begin with the current state
   */
  public ApiCalls.Stream openWatch(@Nullable String name, @Nullable String resourceVersion) {
    int seconds = (int) watchTimeout.toSeconds();
    String selector = name == null ? null : "metadata.name=" + name;
    return calls.stream("watch",
        built.watch(object().namespace(), selector, resourceVersion, seconds),
        watchTimeout.plusSeconds(30));
  }

  public T read() {
    return calls.execute("get", built.read(object()), kind.type());
  }

  T create(T object) {
    return calls.execute("create", built.create(object(), object), kind.type());
  }

  T replace(T object) {
    return calls.execute("update", built.replace(object(), object), kind.type());
  }

  /** A deadline one request timeout from now, for calls that together count as one. */
  ApiCalls.Deadline deadline() {
    return calls.deadline();
  }

  /** A read without holding the caller's thread (see {@link ApiCalls#executeAsync}). */
  <R> CompletableFuture<R> readAsync(Function<T, R> answer,
      Function<KubernetesApiException, R> failed) {
    return readAsync(answer, failed, null);
  }

  /** A read without holding the caller's thread, answered by {@code deadline} if one is given. */
  <R> CompletableFuture<R> readAsync(Function<T, R> answer,
      Function<KubernetesApiException, R> failed, ApiCalls.@Nullable Deadline deadline) {
    return calls.executeAsync("get", built.read(object()), kind.type(), answer, failed,
        deadline);
  }

  <R> CompletableFuture<R> createAsync(T object, Function<T, R> answer,
      Function<KubernetesApiException, R> failed) {
    return calls.executeAsync("create", built.create(object(), object), kind.type(), answer,
        failed);
  }

  /** A replace without holding the caller's thread, answered by {@code deadline} if given. */
  <R> CompletableFuture<R> replaceAsync(T object, Function<T, R> answer,
      Function<KubernetesApiException, R> failed, ApiCalls.@Nullable Deadline deadline) {
    return calls.executeAsync("update", built.replace(object(), object), kind.type(), answer,
        failed, deadline);
  }
}
