package dev.leaderelection.kubernetes;

import dev.leaderelection.kubernetes.ApiCalls.CallBuilder;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The calls a lock makes on one named object (read, create, replace) and the watches on it or on
 * its whole namespace, built by the official client's generated API and executed through
 * {@link ApiCalls}; failures are {@link KubernetesApiException}s.
 */
final class ObjectApi<T> {

  private final ApiCalls calls;
  private final Class<T> type;
  private final CallBuilder read;
  private final Function<T, CallBuilder> create;
  private final Function<T, CallBuilder> replace;
  private final WatchCall watch;
  private final Duration watchTimeout;

  /** Builds a watch: a list call with watch=true. */
  @FunctionalInterface
  interface WatchCall {

    /**
     * @param name the one object to watch (a field selector on its name), or null for all
     * @param resourceVersion where to resume, or null to begin with the current state
     * @param timeoutSeconds how long the server keeps the watch open
     */
    CallBuilder watch(@Nullable String name, @Nullable String resourceVersion,
        int timeoutSeconds);
  }

  /** @param watchTimeout how long the server keeps one watch open before the next is opened */
  ObjectApi(ApiCalls calls, Class<T> type, CallBuilder read, Function<T, CallBuilder> create,
      Function<T, CallBuilder> replace, WatchCall watch, Duration watchTimeout) {
    this.calls = calls;
    this.type = type;
    this.read = read;
    this.create = create;
    this.replace = replace;
    this.watch = watch;
    this.watchTimeout = watchTimeout;
  }

  ObjectReference object() {
    return calls.object();
  }

  ApiClient client() {
    return calls.client();
  }

  Class<T> type() {
    return type;
  }

  /**
   * Opens a watch within the request timeout; the caller reads and closes the response. A
   * connection silent for longer than the watch timeout (plus a margin) fails the read.
   */
  ApiCalls.Stream openWatch(@Nullable String name, @Nullable String resourceVersion) {
    int seconds = (int) watchTimeout.toSeconds();
    return calls.stream("watch", watch.watch(name, resourceVersion, seconds),
        watchTimeout.plusSeconds(30));
  }

  T read() {
    return calls.execute("get", read, type);
  }

  T create(T object) {
    return calls.execute("create", create.apply(object), type);
  }

  T replace(T object) {
    return calls.execute("update", replace.apply(object), type);
  }
}
