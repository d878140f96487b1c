package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.testing.ChildJvm;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sample as Spring AOT processed it in this build ({@code process-aot}), run on the JVM in
 * AOT mode ({@code -Dspring.aot.enabled=true}: the generated bean definitions, no classpath
 * scanning or condition evaluation at startup), the way a native image runs it: it leads, its
 * endpoint answers on its management port and a yield works. A native-image compile itself needs
 * GraalVM, which this build does not download.
 */
class AotModeIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aotProcessedSampleShouldLeadAndAnswerItsEndpoint() throws Exception {
    int port;
    int managementPort;
    try (ServerSocket socket = new ServerSocket(0);
        ServerSocket management = new ServerSocket(0)) {
      port = socket.getLocalPort();
      managementPort = management.getLocalPort();
    }
    Path log = Path.of("target", "aot-mode.log");
    Files.createDirectories(log.getParent());
    Process sample = ChildJvm.builder(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-Dspring.aot.enabled=true", "-jar", System.getProperty("sample.jar"),
            "--server.port=" + port, "--management.server.port=" + managementPort,
            "--leader-election.lock=in-memory",
            "--leader-election.identity=aot-1", "--sample.report-interval=200ms"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> get(port, "/status").get("role").getAsString().equals("LEADER"));

      assertThat(Files.readString(log)).contains("Starting AOT-processed SampleApplication");
      JsonObject election = get(managementPort, "/actuator/leaderelection")
          .getAsJsonObject("elections").getAsJsonObject("default");
      assertThat(election.get("identity").getAsString()).isEqualTo("aot-1");
      assertThat(election.getAsJsonObject("lock").get("kind").getAsString())
          .isEqualTo("in-memory");
      HttpResponse<String> refused = post(managementPort, "{\"action\": \"stop\"}");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      assertThat(JsonParser.parseString(refused.body()).getAsJsonObject().get("message")
          .getAsString()).isEqualTo("action is 'stop' but must be 'yield'");
      HttpResponse<String> yielded = post(managementPort,
          "{\"action\": \"yield\", \"for\": \"1s\"}");
      assertThat(yielded.statusCode()).as(yielded.body()).isEqualTo(200);
      JsonObject answer = JsonParser.parseString(yielded.body()).getAsJsonObject();
      assertThat(answer.get("yielded").getAsBoolean()).isTrue();
      assertThat(answer.get("backOff").getAsString()).as("twice the retry period")
          .isEqualTo("4s");
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> get(port, "/status").get("fencingToken").getAsLong() == 1);
    } finally {
      sample.destroy();
      sample.waitFor();
    }
  }

  private HttpResponse<String> post(int port, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/actuator/leaderelection/default"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject get(int port, String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }
}
