package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.etcd.testing.EtcdLauncherExtension;
import dev.leaderelection.etcd.testing.EtcdServer;
import dev.leaderelection.kubernetes.testing.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample jar with its documented {@code etcd} profile, two JVMs on a real etcd given as
 * {@code ETCD_ENDPOINTS}: one leads, and when it is stopped the other takes over at once.
 */
@ExtendWith(EtcdLauncherExtension.class)
class EtcdProfileIT {

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofMillis(500)).build();
  private final List<Instance> instances = new ArrayList<>();

  record Instance(String identity, int port, Process process, Path log) {
  }

  @AfterEach
  void killAll() {
    instances.forEach(instance -> instance.process().destroyForcibly());
  }

  @Test
  void sampleShouldElectOnEtcdWithTheEtcdProfile(EtcdLauncher launcher, @TempDir Path dir)
      throws Exception {
    try (EtcdServer etcd = launcher.start()) {
      instances.add(start("sample-a", etcd.endpoint(), dir));
      instances.add(start("sample-b", etcd.endpoint(), dir));

      Instance leader = await().atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(this::soleLeader, Optional::isPresent).orElseThrow();
      JsonObject details = health(leader).getAsJsonObject("details");
      assertThat(details.get("lease").getAsString())
          .isEqualTo("etcd key /leaderelection/leaderelection-sample at " + etcd.endpoint());
      Instance follower = instances.get(instances.get(0) == leader ? 1 : 0);
      await().atMost(Duration.ofSeconds(30)).until(() -> leader.identity()
          .equals(detail(follower, "leader")));
      assertThat(detail(follower, "role")).isEqualTo("FOLLOWER");

      leader.process().destroy();
      long stopped = System.nanoTime();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
          .until(() -> "LEADER".equals(detail(follower, "role")));
      System.out.printf("etcd profile: handover after SIGTERM %d ms%n",
          Duration.ofNanos(System.nanoTime() - stopped).toMillis());
      leader.process().waitFor();
      assertThat(Files.readString(leader.log()))
          .contains(leader.identity() + " stopped leading election 'default' (RELEASED)");
    }
  }

  private Optional<Instance> soleLeader() {
    List<Instance> leaders = instances.stream()
        .filter(instance -> "LEADER".equals(detail(instance, "role"))).toList();
    return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
  }

  private String detail(Instance instance, String name) {
    try {
      JsonObject details = health(instance).getAsJsonObject("details");
      return details == null || !details.has(name) ? "" : details.get(name).getAsString();
    } catch (IOException | RuntimeException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private JsonObject health(Instance instance) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + instance.port() + "/actuator/health/leaderElection"))
        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static Instance start(String identity, String endpoint, Path dir) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = dir.resolve(identity + ".log");
    ProcessBuilder builder = ChildJvm.builder(List.of(
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", System.getProperty("sample.jar"),
        "--spring.profiles.active=etcd",
        "--server.port=" + port,
        "--leader-election.identity=" + identity,
        "--leader-election.lease-duration=6s",
        "--leader-election.renew-deadline=4s",
        "--leader-election.retry-period=1s"))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("ETCD_ENDPOINTS", endpoint);
    return new Instance(identity, port, builder.start(), log);
  }
}
