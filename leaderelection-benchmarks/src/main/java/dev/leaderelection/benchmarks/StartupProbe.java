package dev.leaderelection.benchmarks;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.OnLeader;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A child JVM that starts one small Spring Boot application once and prints how long it took
 * from {@code SpringApplication.run} to {@code ApplicationReadyEvent}:
 * {@code STARTUP variant=<v> millis=<m> blockingRequests=<n>}, where blocking requests are the
 * API server requests the main thread made before the application was ready. Variants:
 * {@code none} (the starter's auto-configurations excluded), {@code in-memory}, and
 * {@code kubernetes} (a Lease on the API server of the kubeconfig given). Arguments: variant,
 * kubeconfig, namespace, lease name.
 */
public final class StartupProbe {

  private StartupProbe() {
  }

  public static void main(String[] args) throws Exception {
    String variant = args[0];
    List<String> properties = new ArrayList<>(List.of("logging.level.root=WARN",
        "spring.main.banner-mode=off", "leader-election.lease-name=" + args[3]));
    switch (variant) {
      case "none" -> properties.add("spring.autoconfigure.exclude=" + starterAutoConfigurations());
      case "in-memory" -> properties.add("leader-election.lock=in-memory");
      case "kubernetes" -> properties.addAll(List.of("leader-election.lock=lease",
          "leader-election.kubernetes.namespace=" + args[2]));
      default -> throw new IllegalArgumentException("unknown variant " + variant);
    }
    Thread main = Thread.currentThread();
    AtomicBoolean ready = new AtomicBoolean();
    AtomicInteger blocking = new AtomicInteger();
    SpringApplication application = new SpringApplication(Application.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setDefaultProperties(properties.stream()
        .map(property -> property.split("=", 2))
        .collect(java.util.stream.Collectors.toMap(pair -> pair[0], pair -> (Object) pair[1])));
    application.addInitializers(context -> context.getBeanFactory().registerSingleton(
        "probeApiClient", apiClient(args[1], main, ready, blocking)));
    long[] readyNanos = new long[1];
    application.addListeners(event -> {
      if (event instanceof ApplicationReadyEvent) {
        readyNanos[0] = System.nanoTime();
        ready.set(true);
      }
    });
    long start = System.nanoTime();
    ConfigurableApplicationContext context = application.run();
    double millis = (readyNanos[0] - start) / 1e6;
    if (!variant.equals("none")) { // the election works: the application did start it
      LeaderElector elector = context.getBean(LeaderElector.class);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (elector.leader().isEmpty() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(5);
      }
      if (elector.leader().isEmpty()) {
        throw new IllegalStateException("no leader within 30 s");
      }
    }
    // One write, so that no log line of another thread lands inside it.
    System.out.println(String.format(Locale.ROOT, "STARTUP variant=%s millis=%.1f "
        + "blockingRequests=%d", variant, millis, blocking.get()));
    context.close();
    System.exit(0);
  }

  /** The application's API client, counting requests the main thread makes before ready. */
  private static ApiClient apiClient(String kubeconfig, Thread main, AtomicBoolean ready,
      AtomicInteger blocking) {
    try {
      ApiClient client = Config.fromConfig(kubeconfig);
      client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(chain -> {
        if (Thread.currentThread() == main && !ready.get()) {
          blocking.incrementAndGet();
        }
        return chain.proceed(chain.request());
      }).build());
      return client;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + kubeconfig, e);
    }
  }

  private static String starterAutoConfigurations() throws IOException {
    List<String> names = new ArrayList<>();
    for (URL imports : Collections.list(StartupProbe.class.getClassLoader().getResources(
        "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"))) {
      try (InputStream in = imports.openStream()) {
        new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
            .filter(name -> name.startsWith("dev.leaderelection.")).forEach(names::add);
      }
    }
    return String.join(",", names);
  }

  /** The application: one {@code @OnLeader} job, as users write it. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  public static class Application {

    @Bean
    Job job() {
      return new Job();
    }
  }

  /** A leader-only job. */
  public static class Job {

    @OnLeader
    public String run() {
      return "ran";
    }
  }
}
