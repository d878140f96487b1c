package dev.leaderelection.kubernetes;

import dev.leaderelection.kubernetes.ApiCalls.CallBuilder;
import java.util.function.Function;
import java.time.Duration;

/**
 * The three calls a lock makes on one named object, built by the official client's generated
 * API and executed through {@link ApiCalls}; failures are {@link KubernetesApiException}s.
 */
final class ObjectApi<T> {

  private final ApiCalls calls;
  private final Class<T> type;
  private final CallBuilder read;
  private final Function<T, CallBuilder> create;
  private final Function<T, CallBuilder> replace;
  private final CallBuilder watch;

  /** @param watch builds a watch on the one object (a list call with watch=true) */
  ObjectApi(ApiCalls calls, Class<T> type, CallBuilder read, Function<T, CallBuilder> create,
      Function<T, CallBuilder> replace, CallBuilder watch) {
    this.calls = calls;
    this.type = type;
    this.read = read;
    this.create = create;
    this.replace = replace;
    this.watch = watch;
  }

  Class<T> type() {
    return type;
  }

  /** Opens the watch stream; the caller reads and closes the response. */
  ApiCalls.Stream openWatch(Duration readTimeout) {
    return calls.stream("watch", watch, readTimeout);
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
