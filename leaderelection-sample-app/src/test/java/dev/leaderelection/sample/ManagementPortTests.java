package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.yaml.snakeyaml.Yaml;

/**
 * Actuator, and with it the yield, is served on a management port of its own that the sample's
 * Service does not route to, so whoever reaches the Service cannot move leadership; the probes
 * follow the management port. The test runs the sample as configured (a random port for each,
 * as Spring Boot tests choose when the management port differs).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "sample.report-interval=1h", "KUBECONFIG=", "KUBERNETES_SERVICE_HOST="})
@DirtiesContext
class ManagementPortTests {

  private static final Path K8S = Path.of("k8s");

  private final HttpClient http = HttpClient.newHttpClient();

  @Value("${local.server.port}")
  private int serverPort;

  @Value("${local.management.port:-1}")
  private int managementPort;

  @Test
  void yieldShouldBeServedOnTheManagementPortOnly() throws Exception {
    assertThat(managementPort).as("a management port of its own").isPositive()
        .isNotEqualTo(serverPort);
    assertThat(send(serverPort, "GET", "/status").statusCode()).isEqualTo(200);
    assertThat(send(serverPort, "POST", "/actuator/leaderelection/default").statusCode())
        .isEqualTo(404);
    assertThat(send(serverPort, "GET", "/actuator/health").statusCode()).isEqualTo(404);

    assertThat(send(managementPort, "GET", "/actuator/leaderelection").statusCode())
        .isEqualTo(200);
    assertThat(send(managementPort, "GET", "/actuator/health/liveness").statusCode())
        .isEqualTo(200);
    assertThat(send(managementPort, "GET", "/actuator/health/readiness").statusCode())
        .isEqualTo(200);
  }

  @Test
  @SuppressWarnings("unchecked")
  void serviceShouldRouteTheApplicationPortOnlyAndProbesShouldUseTheManagementPort()
      throws IOException {
    Map<String, Object> application = yaml(Path.of("src/main/resources/application.yml"));
    int management = (Integer) ((Map<String, Object>) ((Map<String, Object>)
        application.get("management")).get("server")).get("port");
    Map<String, Object> container = (Map<String, Object>) path(yaml(K8S.resolve(
        "deployment.yaml")), "spec", "template", "spec", "containers", 0);
    Map<String, Integer> ports = new java.util.HashMap<>();
    ((List<Map<String, Object>>) container.get("ports")).forEach(port ->
        ports.put((String) port.get("name"), (Integer) port.get("containerPort")));

    assertThat(ports).containsEntry("http", 8080).containsEntry("management", management);
    assertThat(management).isNotEqualTo(8080);
    assertThat(path(container, "livenessProbe", "httpGet", "port")).isEqualTo("management");
    assertThat(path(container, "readinessProbe", "httpGet", "port")).isEqualTo("management");
    List<Map<String, Object>> routed = (List<Map<String, Object>>) path(
        yaml(K8S.resolve("service.yaml")), "spec", "ports");
    assertThat(routed).extracting(port -> port.get("targetPort")).containsOnly("http");
  }

  private HttpResponse<String> send(int port, String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(
                method.equals("POST") ? "{\"action\": \"yield\", \"for\": \"1s\"}" : ""))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    return (Map<String, Object>) new Yaml().load(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  private static Object path(Object node, Object... keys) {
    Object current = node;
    for (Object key : keys) {
      current = key instanceof Integer index ? ((List<Object>) current).get(index)
          : ((Map<String, Object>) current).get(key);
    }
    return current;
  }
}
