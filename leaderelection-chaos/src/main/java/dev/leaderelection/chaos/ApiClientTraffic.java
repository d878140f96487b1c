package dev.leaderelection.chaos;

import io.kubernetes.client.openapi.ApiCallback;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * {@link ApplicationTraffic} on the official client's {@code ApiClient}: requests sent with the
 * generated API's {@code executeAsync} (on the client's OkHttp dispatcher, as an application's
 * asynchronous calls are), and watches read on threads of their own, as informers read them.
 * Uses only API that client-java 25 (the peer's classpath) and 27 share.
 */
final class ApiClientTraffic extends ApplicationTraffic {

  private final CoreV1Api api;
  private final String namespace;
  private final Set<Call> watches = ConcurrentHashMap.newKeySet();

  ApiClientTraffic(ApiClient client, String namespace) {
    this.api = new CoreV1Api(client);
    this.namespace = namespace;
  }

  @Override
  void start(Load load) {
    for (int i = 0; i < load.calls(); i++) {
      send();
    }
    for (int i = 0; i < load.watches(); i++) {
      daemon("application-watch-" + i, this::watch);
    }
  }

  private void send() {
    if (isClosed()) {
      return;
    }
    try {
      api.listNamespacedConfigMap(namespace).executeAsync(new ApiCallback<V1ConfigMapList>() {
        @Override
        public void onFailure(ApiException e, int statusCode,
            Map<String, List<String>> headers) {
          failed();
          ChaosCandidate.sleep(java.time.Duration.ofMillis(100));
          send();
        }

        @Override
        public void onSuccess(V1ConfigMapList result, int statusCode,
            Map<String, List<String>> headers) {
          answered();
          send();
        }

        @Override
        public void onUploadProgress(long written, long total, boolean done) {
        }

        @Override
        public void onDownloadProgress(long read, long total, boolean done) {
        }
      });
    } catch (ApiException | RuntimeException e) {
      failed();
    }
  }

  /** One watch, opened again whenever it ends, until the traffic stops. */
  private void watch() {
    while (!isClosed()) {
      Call call = null;
      try {
        call = api.listNamespacedConfigMap(namespace).watch(true).allowWatchBookmarks(true)
            .timeoutSeconds(300).buildCall(null);
        watches.add(call);
        try (Response response = call.execute()) {
          BufferedSource events = response.body().source();
          while (!isClosed() && events.readUtf8Line() != null) {
            // an idle application's watch: nothing to do with the events
          }
        }
      } catch (Exception e) {
        sleep();
      } finally {
        if (call != null) {
          watches.remove(call);
        }
      }
    }
  }

  private static void sleep() {
    try {
      TimeUnit.MILLISECONDS.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  void stop() {
    watches.forEach(Call::cancel);
  }
}
