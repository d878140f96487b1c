package dev.leaderelection.benchmarks.startup;

import dev.leaderelection.LeaderElector;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the probe does only when the starter is on the classpath: a class of its own, so that the
 * baseline variants never load the starter's or the Kubernetes client's classes.
 */
final class Starter {

  private Starter() {
  }

  /** Whether the application is ready, and the API server requests its main thread made. */
  record Probe(AtomicBoolean ready, AtomicInteger blocking) {
  }

  /**
   * Gives the application an API client for the kubeconfig, counting the requests the main
   * thread makes before the application is ready.
   */
  static Probe kubernetes(SpringApplication application, String kubeconfig) {
    Probe probe = new Probe(new AtomicBoolean(), new AtomicInteger());
    Thread main = Thread.currentThread();
    application.addInitializers(context -> context.getBeanFactory().registerSingleton(
        "probeApiClient", apiClient(kubeconfig, main, probe)));
    return probe;
  }

  private static ApiClient apiClient(String kubeconfig, Thread main, Probe probe) {
    try {
      ApiClient client = Config.fromConfig(kubeconfig);
      client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(chain -> {
        if (Thread.currentThread() == main && !probe.ready().get()) {
          probe.blocking().incrementAndGet();
        }
        return chain.proceed(chain.request());
      }).build());
      return client;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + kubeconfig, e);
    }
  }

  /** The election works: the application did start it. */
  static void awaitLeader(ConfigurableApplicationContext context) throws InterruptedException {
    LeaderElector elector = context.getBean(LeaderElector.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (elector.leader().isEmpty() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
    if (elector.leader().isEmpty()) {
      throw new IllegalStateException("no leader within 30 s");
    }
  }
}
