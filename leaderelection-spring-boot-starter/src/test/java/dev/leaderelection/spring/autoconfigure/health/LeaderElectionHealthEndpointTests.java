package dev.leaderelection.spring.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderElector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
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

  private static ConfigurableApplicationContext start(String... more) {
    String[] args = {"--server.port=0", "--KUBECONFIG=", "--KUBERNETES_SERVICE_HOST=",
        "--leader-election.lease-name=my-app", "--leader-election.lock=in-memory",
        "--management.endpoints.web.exposure.include=health",
        "--management.endpoint.health.show-details=always"};
    String[] all = Stream.concat(Arrays.stream(args), Arrays.stream(more))
        .toArray(String[]::new);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(WebApplication.class).run(all);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> context.getBean("leaderElector", LeaderElector.class).isLeader());
    return context;
  }

  private static JsonObject health(ConfigurableApplicationContext context, String path)
      throws Exception {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WebApplication {
  }
}
