package dev.leaderelection.spring.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spring.ElectionLockProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /actuator/health/leaderElection} over HTTP, from a real web server: the default
 * election's details at the top, several elections as components.
 */
class LeaderElectionHealthEndpointTests {

  @Test
  void singleDefaultElectionShouldAnswerWithItsDetails() throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      JsonObject health = health(context, "/actuator/health/leaderElection");

      assertThat(health.get("status").getAsString()).isEqualTo("UP");
      JsonObject details = health.getAsJsonObject("details");
      assertThat(details.get("role").getAsString()).isEqualTo("LEADER");
      assertThat(details.get("lease").getAsString()).isEqualTo("in-memory lock my-app");
      assertThat(health.has("components")).isFalse();
    }
  }

  @Test
  void severalElectionsShouldAnswerWithOneComponentEach() throws Exception {
    try (ConfigurableApplicationContext context =
        start("--leader-election.elections.reports.lock=in-memory")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> context
          .getBean("reportsLeaderElector", LeaderElector.class).isLeader());
      JsonObject health = health(context, "/actuator/health/leaderElection");

      assertThat(health.get("status").getAsString()).isEqualTo("UP");
      JsonObject components = health.getAsJsonObject("components");
      assertThat(components.keySet()).containsExactlyInAnyOrder("default", "reports");
      assertThat(components.getAsJsonObject("reports").getAsJsonObject("details")
          .get("lease").getAsString()).isEqualTo("in-memory lock reports");
      assertThat(health(context, "/actuator/health/leaderElection/default")
          .getAsJsonObject("details").get("role").getAsString()).isEqualTo("LEADER");
    }
  }

  @Test
  void hugeHolderIdentityShouldBeAnsweredBounded() throws Exception {
    try (ConfigurableApplicationContext context = start(StrangerApplication.class,
        "--leader-election.elections.reports.lock=in-memory")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> context
          .getBean("reportsLeaderElector", LeaderElector.class).leader().isPresent());
      HttpResponse<String> response = get(context, "/actuator/health/leaderElection/reports");

      assertThat(response.body().length()).isLessThan(4_000);
      JsonObject details = JsonParser.parseString(response.body()).getAsJsonObject()
          .getAsJsonObject("details");
      assertThat(details.get("leader").getAsString()).startsWith("evil\\nx")
          .endsWith("…(" + (STRANGER.length() - 120) + " more characters)")
          .hasSizeLessThan(200);
      assertThat(details.get("warning").getAsString()).startsWith("'evil\\nx");
    }
  }

  private static ConfigurableApplicationContext start(String... more) {
    return start(WebApplication.class, more);
  }

  private static ConfigurableApplicationContext start(Class<?> application, String... more) {
    String[] args = {"--server.port=0", "--KUBECONFIG=", "--KUBERNETES_SERVICE_HOST=",
        "--leader-election.lease-name=my-app", "--leader-election.lock=in-memory",
        "--management.endpoints.web.exposure.include=health",
        "--management.endpoint.health.show-details=always"};
    String[] all = Stream.concat(Arrays.stream(args), Arrays.stream(more))
        .toArray(String[]::new);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(application).run(all);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> context.getBean("leaderElector", LeaderElector.class).isLeader());
    return context;
  }

  private static JsonObject health(ConfigurableApplicationContext context, String path)
      throws Exception {
    HttpResponse<String> response = get(context, path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static HttpResponse<String> get(ConfigurableApplicationContext context, String path)
      throws Exception {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A megabyte of identity with a line break, as anyone who may edit a lock can write it. */
  private static final String STRANGER = "evil\nx" + "y".repeat(1 << 20);

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WebApplication {
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class StrangerApplication {

    /** The reports election's lock is held by a stranger's hostile identity for an hour. */
    @Bean
    ElectionLockProvider reportsLock() {
      InMemoryLeaseLock lock = new InMemoryLeaseLock("reports");
      Instant now = Instant.now();
      lock.create(LeaderRecord.builder().holderIdentity(STRANGER)
          .leaseDuration(Duration.ofHours(1)).acquireTime(now).renewTime(now).build());
      return ElectionLockProvider.of("reports", lock);
    }
  }
}
