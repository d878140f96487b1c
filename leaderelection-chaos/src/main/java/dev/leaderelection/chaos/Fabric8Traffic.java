package dev.leaderelection.chaos;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link ApplicationTraffic} on fabric8's {@code KubernetesClient}: every request in flight is a
 * thread waiting for a {@code list} (fabric8 sends it on its HTTP client's own pool, as it sends
 * every call), and watches are fabric8's watches, which reconnect by themselves.
 */
final class Fabric8Traffic extends ApplicationTraffic {

  private final KubernetesClient client;
  private final String namespace;
  private final List<Watch> watches = new CopyOnWriteArrayList<>();

  Fabric8Traffic(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  void start(Load load) {
    for (int i = 0; i < load.calls(); i++) {
      daemon("application-call-" + i, this::send);
    }
    for (int i = 0; i < load.watches(); i++) {
      watches.add(client.configMaps().inNamespace(namespace).watch(new Watcher<ConfigMap>() {
        @Override
        public void eventReceived(Action action, ConfigMap resource) {
          // an idle application's watch: nothing to do with the events
        }

        @Override
        public void onClose(WatcherException cause) {
          // fabric8 reconnects by itself
        }
      }));
    }
  }

  private void send() {
    while (!isClosed()) {
      try {
        client.configMaps().inNamespace(namespace).list();
        answered();
      } catch (RuntimeException e) {
        failed();
        ChaosCandidate.sleep(Duration.ofMillis(100));
      }
    }
  }

  @Override
  void stop() {
    watches.forEach(Watch::close);
  }
}
