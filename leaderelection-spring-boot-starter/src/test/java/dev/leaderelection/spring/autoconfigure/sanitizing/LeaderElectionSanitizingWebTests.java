package dev.leaderelection.spring.autoconfigure.sanitizing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * {@code /actuator/configprops} and {@code /actuator/env} over HTTP with
 * {@code show-values=always}: every credential the starter binds is masked, wherever it was set,
 * and the rest stays readable.
 */
class LeaderElectionSanitizingWebTests {

  private static final String PASSWORD = "S3cret-Pa55-cmd";
  private static final String ENVIRONMENT_PASSWORD = "S3cret-Pa55-env";
  private static final String URL_USER = "ops-user-91";
  private static final String URL_PASSWORD = "S3cret-Pa55-url";

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void configpropsShowingValuesShouldMaskThePasswordAndTheEndpointsUserInfo() throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      HttpResponse<String> response = get(context, "/actuator/configprops");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).doesNotContain(PASSWORD, ENVIRONMENT_PASSWORD, URL_USER,
          URL_PASSWORD);
      JsonObject etcd = leaderElectionProperties(response).getAsJsonObject("etcd");
      assertThat(etcd.get("password").getAsString()).isEqualTo("******");
      assertThat(etcd.get("username").getAsString()).as("not a secret").isEqualTo("elector");
      assertThat(etcd.getAsJsonArray("endpoints")).extracting(JsonElement::getAsString)
          .containsExactly("https://******@etcd-0:2379", "https://etcd-1:2379");
    }
  }

  @Test
  void envShowingValuesShouldMaskThePasswordAndTheEndpointsUserInfoOfEverySource()
      throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      HttpResponse<String> response = get(context, "/actuator/env");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).doesNotContain(PASSWORD, ENVIRONMENT_PASSWORD, URL_USER,
          URL_PASSWORD);
      assertThat(value(response, "commandLineArgs", "leader-election.etcd.password"))
          .isEqualTo("******");
      assertThat(value(response, "commandLineArgs", "leader-election.etcd.endpoints"))
          .isEqualTo("https://******@etcd-0:2379,https://etcd-1:2379");
      assertThat(value(response, "commandLineArgs", "leader-election.etcd.username"))
          .isEqualTo("elector");
      assertThat(value(response, "testEnvironment", "LEADER_ELECTION_ETCD_PASSWORD"))
          .isEqualTo("******");

      HttpResponse<String> one = get(context, "/actuator/env/leader-election.etcd.password");
      assertThat(one.statusCode()).isEqualTo(200);
      assertThat(one.body()).doesNotContain(PASSWORD, ENVIRONMENT_PASSWORD).contains("******");
    }
  }

  private static ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(WebApplication.class)
        .initializers(context -> context.getEnvironment().getPropertySources().addLast(
            new SystemEnvironmentPropertySource("testEnvironment",
                Map.of("LEADER_ELECTION_ETCD_PASSWORD", ENVIRONMENT_PASSWORD))))
        .run("--server.port=0", "--KUBECONFIG=", "--KUBERNETES_SERVICE_HOST=",
            "--leader-election.lease-name=my-app", "--leader-election.lock=in-memory",
            "--leader-election.etcd.endpoints=https://" + URL_USER + ":" + URL_PASSWORD
                + "@etcd-0:2379,https://etcd-1:2379",
            "--leader-election.etcd.username=elector",
            "--leader-election.etcd.password=" + PASSWORD,
            "--management.endpoints.web.exposure.include=configprops,env",
            "--management.endpoint.configprops.show-values=always",
            "--management.endpoint.env.show-values=always");
  }

  /** The properties of the {@code leader-election} bean in a configprops response. */
  private static JsonObject leaderElectionProperties(HttpResponse<String> response) {
    JsonObject contexts = JsonParser.parseString(response.body()).getAsJsonObject()
        .getAsJsonObject("contexts");
    for (String id : contexts.keySet()) {
      JsonObject beans = contexts.getAsJsonObject(id).getAsJsonObject("beans");
      for (String bean : beans.keySet()) {
        JsonObject described = beans.getAsJsonObject(bean);
        if (described.get("prefix").getAsString().equals("leader-election")) {
          return described.getAsJsonObject("properties");
        }
      }
    }
    throw new AssertionError("no leader-election properties in " + response.body());
  }

  /** The value an env response shows for {@code property} of the property source {@code source}. */
  private static String value(HttpResponse<String> response, String source, String property) {
    for (JsonElement each : JsonParser.parseString(response.body()).getAsJsonObject()
        .getAsJsonArray("propertySources")) {
      if (each.getAsJsonObject().get("name").getAsString().equals(source)) {
        return each.getAsJsonObject().getAsJsonObject("properties").getAsJsonObject(property)
            .get("value").getAsString();
      }
    }
    throw new AssertionError("no property source " + source + " in " + response.body());
  }

  private HttpResponse<String> get(ConfigurableApplicationContext context, String path)
      throws Exception {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WebApplication {
  }
}
