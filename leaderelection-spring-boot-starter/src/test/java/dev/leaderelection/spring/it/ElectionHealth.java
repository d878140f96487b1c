package dev.leaderelection.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Reads {@code /actuator/health/leaderElection} of a running web application over HTTP. */
final class ElectionHealth {

  private final HttpClient http = HttpClient.newHttpClient();

  /** The health response, asserting its HTTP status first. */
  JsonObject of(ConfigurableApplicationContext context, int expectedStatus) throws Exception {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/actuator/health/leaderElection")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  /** One detail of a health response, as text. */
  static String detail(JsonObject health, String key) {
    return health.getAsJsonObject("details").get(key).getAsString();
  }
}
