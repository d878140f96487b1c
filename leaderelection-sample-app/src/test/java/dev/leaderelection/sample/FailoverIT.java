package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import dev.leaderelection.spi.LeaderRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three sample-app JVMs from the built jar against a real API server, with timings 6s / 4s / 1s:
 * SIGKILL of the leader, then SIGTERM of the next one. The bounds asserted are correctness
 * bounds; the measured times are printed.
 */
@ExtendWith(KubernetesApiServerExtension.class)
class FailoverIT {

  private static final Duration LEASE = Duration.ofSeconds(6);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final String LEASE_NAME = "leaderelection-sample";

  private final List<SampleJvm> instances = new ArrayList<>();

  @AfterEach
  void killAll() {
    instances.forEach(instance -> instance.process().destroyForcibly());
  }

  @Test
  void crashAndShutdownOfLeadersShouldHandOverWithoutOverlap(KubernetesApiServer server,
      @TempDir Path dir) throws Exception {
    String namespace = server.createNamespace("failover");
    Path kubeconfig = server.kubeconfigFile();
    Path reports = dir.resolve("reports.log");
    for (int i = 0; i < 3; i++) {
      instances.add(start("sample-" + i, namespace, kubeconfig, reports, dir));
    }

    SampleJvm first = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> soleLeader(instances), Optional::isPresent).orElseThrow();
    assertThat(health(first).getAsJsonObject("details").get("role").getAsString())
        .isEqualTo("LEADER");
    for (SampleJvm other : others(first)) {
      await().atMost(Duration.ofSeconds(30))
          .until(() -> first.identity().equals(leaderSeenBy(other)));
      assertThat(role(other)).isEqualTo("FOLLOWER");
      assertThat(status(other).get("reportsPublished").getAsLong()).isZero();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> reportsBy(reports, first) > 3);

    first.process().destroyForcibly();
    long killed = System.nanoTime();
    first.process().waitFor();
    SampleJvm second = awaitNewLeader(others(first), LEASE.plus(RETRY.multipliedBy(4)));
    Duration failover = Duration.ofNanos(System.nanoTime() - killed);

    await().atMost(Duration.ofSeconds(10)).until(() -> reportsBy(reports, second) > 3);
    List<SampleJvm> remaining = others(first).stream()
        .filter(instance -> instance != second).toList();
    second.process().destroy();
    long terminated = System.nanoTime();
    SampleJvm third = awaitNewLeader(remaining, Duration.ofSeconds(10));
    Duration handover = Duration.ofNanos(System.nanoTime() - terminated);
    second.process().waitFor();
    LeaderRecord afterExit = KubernetesLocks.create(server.adminClient()).lease(namespace,
        LEASE_NAME, Duration.ofSeconds(5)).get().orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> reportsBy(reports, third) > 3);

    System.out.printf("failover after SIGKILL: %d ms (bound %d ms); "
            + "handover after SIGTERM: %d ms (bound %d ms)%n", failover.toMillis(),
        LEASE.plus(RETRY.multipliedBy(2)).toMillis(), handover.toMillis(),
        Math.round(RETRY.toMillis() * 1.2) + 1000);
    assertThat(failover).isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(2)));
    assertThat(handover).isLessThanOrEqualTo(Duration.ofMillis(
        Math.round(RETRY.toMillis() * 1.2) + 1000));
    assertThat(Files.readString(second.log()))
        .contains(second.identity() + " stopped leading election 'default' (RELEASED)");
    assertThat(afterExit.holderIdentity()).isNotEqualTo(second.identity());
    assertNoOverlap(Files.readAllLines(reports), List.of(first, second, third));
    // kubectl get events: the crashed leader said nothing, the others each transition.
    List<String> notes = await().atMost(Duration.ofSeconds(10)).until(
        () -> leaseEvents(server, namespace), recorded -> recorded.stream()
            .anyMatch(note -> note.startsWith(third.identity() + " became leader")));
    assertThat(notes).anyMatch(note -> note.startsWith(first.identity() + " became leader"))
        .noneMatch(note -> note.startsWith(first.identity() + " stopped leading"))
        .anyMatch(note -> note.startsWith(second.identity() + " became leader"))
        .anyMatch(note -> note.startsWith(second.identity() + " stopped leading: RELEASED"));
  }

  /** The notes of the Events about the Lease, oldest first. */
  private static List<String> leaseEvents(KubernetesApiServer server, String namespace) {
    JsonObject list = JsonParser.parseString(server.raw("GET",
        "/apis/events.k8s.io/v1/namespaces/" + namespace + "/events", null)).getAsJsonObject();
    List<JsonObject> events = new ArrayList<>();
    list.getAsJsonArray("items").forEach(item -> events.add(item.getAsJsonObject()));
    return events.stream()
        .filter(event -> LEASE_NAME.equals(event.getAsJsonObject("regarding").get("name")
            .getAsString()))
        .sorted(java.util.Comparator.comparing(event -> event.get("eventTime").getAsString()))
        .map(event -> event.get("note").getAsString())
        .toList();
  }

  /** The report log shows each leader's runs as one block, in order, with growing tokens. */
  private static void assertNoOverlap(List<String> lines, List<SampleJvm> leaders) {
    List<String> order = new ArrayList<>();
    long lastMillis = 0;
    long lastToken = -1;
    for (String line : lines) {
      String[] fields = line.split(" ");
      long millis = Long.parseLong(fields[0]);
      long token = Long.parseLong(fields[2]);
      if (order.isEmpty() || !order.get(order.size() - 1).equals(fields[1])) {
        assertThat(order).as("%s ran again after another leader", fields[1])
            .doesNotContain(fields[1]);
        order.add(fields[1]);
        assertThat(token).as("token of a new leader").isGreaterThan(lastToken);
      }
      assertThat(millis).isGreaterThanOrEqualTo(lastMillis);
      lastMillis = millis;
      lastToken = token;
    }
    assertThat(order).containsExactlyElementsOf(
        leaders.stream().map(SampleJvm::identity).toList());
  }

  private SampleJvm awaitNewLeader(List<SampleJvm> candidates, Duration within) {
    return await().atMost(within).pollInterval(Duration.ofMillis(50))
        .until(() -> soleLeader(candidates), Optional::isPresent).orElseThrow();
  }

  private Optional<SampleJvm> soleLeader(List<SampleJvm> candidates) {
    List<SampleJvm> leaders = candidates.stream()
        .filter(instance -> "LEADER".equals(role(instance))).toList();
    assertThat(leaders).as("leaders at once").hasSizeLessThanOrEqualTo(1);
    return leaders.stream().findFirst();
  }

  private List<SampleJvm> others(SampleJvm excluded) {
    return instances.stream().filter(instance -> instance != excluded).toList();
  }

  private String role(SampleJvm instance) {
    try {
      return status(instance).get("role").getAsString();
    } catch (IOException | RuntimeException e) {
      return "UNREACHABLE";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "UNREACHABLE";
    }
  }

  private String leaderSeenBy(SampleJvm instance) {
    try {
      JsonObject status = status(instance);
      return status.get("leader").isJsonNull() ? "" : status.get("leader").getAsString();
    } catch (IOException | RuntimeException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private JsonObject status(SampleJvm instance) throws IOException, InterruptedException {
    return instance.get("/status");
  }

  private JsonObject health(SampleJvm instance) throws IOException, InterruptedException {
    return instance.get("/actuator/health/leaderElection");
  }

  private static long reportsBy(Path reports, SampleJvm instance) throws IOException {
    if (!Files.exists(reports)) {
      return 0;
    }
    return Files.readAllLines(reports).stream()
        .filter(line -> line.split(" ")[1].equals(instance.identity())).count();
  }

  private static SampleJvm start(String identity, String namespace, Path kubeconfig,
      Path reports, Path dir) throws IOException {
    return SampleJvm.start(identity, dir, Map.of("KUBECONFIG", kubeconfig.toString()), List.of(
        "--leader-election.kubernetes.namespace=" + namespace,
        "--leader-election.lock=lease",
        "--leader-election.lease-duration=" + LEASE.toSeconds() + "s",
        "--leader-election.renew-deadline=4s",
        "--leader-election.retry-period=" + RETRY.toSeconds() + "s",
        "--sample.report-interval=200ms",
        "--sample.report-log=" + reports));
  }
}
