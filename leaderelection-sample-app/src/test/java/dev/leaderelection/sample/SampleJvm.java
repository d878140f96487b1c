package dev.leaderelection.sample;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.testing.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sample-app JVM from the built jar on a free port, and Actuator on another (the sample serves
 * it on a management port of its own), its output in {@code log}, read over HTTP as users and
 * probes do.
 */
record SampleJvm(String identity, int port, int managementPort, Process process, Path log) {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofMillis(500)).build();

  /** Starts the jar with {@code arguments} (after the port and identity) and the environment. */
  static SampleJvm start(String identity, Path dir, Map<String, String> environment,
      List<String> arguments) throws IOException {
    int port;
    int managementPort;
    try (ServerSocket socket = new ServerSocket(0);
        ServerSocket management = new ServerSocket(0)) {
      port = socket.getLocalPort();
      managementPort = management.getLocalPort();
    }
    Path log = dir.resolve(identity + ".log");
    List<String> command = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-jar", System.getProperty("sample.jar"), "--server.port=" + port,
        "--management.server.port=" + managementPort,
        "--leader-election.identity=" + identity));
    command.addAll(arguments);
    ProcessBuilder builder = ChildJvm.builder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return new SampleJvm(identity, port, managementPort, builder.start(), log);
  }

  /** The JSON the application answers at {@code path} (on the management port for Actuator). */
  JsonObject get(String path) throws IOException, InterruptedException {
    int to = path.startsWith("/actuator/") ? managementPort : port;
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + to + path))
        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  /** A detail of the leaderElection health, or empty while it cannot be read. */
  String healthDetail(String name) {
    try {
      JsonObject details = get("/actuator/health/leaderElection").getAsJsonObject("details");
      return details == null || !details.has(name) || details.get(name).isJsonNull() ? ""
          : details.get(name).getAsString();
    } catch (IOException | RuntimeException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
