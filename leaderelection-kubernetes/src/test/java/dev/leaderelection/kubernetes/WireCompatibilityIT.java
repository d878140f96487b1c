package dev.leaderelection.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Records written by client-go (as raw JSON) read correctly, and records this library writes read
 * back through raw GETs with exactly the field formats client-go and kubectl expect.
 */
class WireCompatibilityIT extends RealApiServerTest {

  private static final String MICRO_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z";
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00.123456Z");


  @Test
  void leaseWrittenByClientGoWithoutAcquireTimeShouldBeReadExactly() {
    server.raw("POST", leases(), """
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
         "metadata":{"name":"go-written"},
         "spec":{"holderIdentity":"controller-7d9f_0a1b2c3d","leaseDurationSeconds":15,
                 "renewTime":"2026-11-22T10:00:05.654321Z","leaseTransitions":3}}""");

    LeaderRecord record = lock("go-written").get().orElseThrow();

    assertThat(record.holderIdentity()).isEqualTo("controller-7d9f_0a1b2c3d");
    assertThat(record.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(record.acquireTime()).isNull();
    assertThat(record.renewTime()).isEqualTo(Instant.parse("2026-11-22T10:00:05.654321Z"));
    assertThat(record.leaseTransitions()).isEqualTo(3);
    assertThat(record.holderPriority()).isZero();
    assertThat(record.preferredHolder()).isNull();
  }

  @Test
  void leaseWrittenByThisLibraryShouldHaveClientGoFieldFormats() {
    LeaseLock lock = lock("ours");
    lock.create(LeaderRecord.builder().holderIdentity("pod-a_1f2e3d4c")
        .leaseDuration(Duration.ofSeconds(15)).acquireTime(NOW).renewTime(NOW.plusMillis(5000))
        .leaseTransitions(4).build());

    JsonObject spec = JsonParser.parseString(server.raw("GET", leases() + "/ours", null))
        .getAsJsonObject().getAsJsonObject("spec");

    assertThat(spec.keySet()).containsExactlyInAnyOrder("holderIdentity",
        "leaseDurationSeconds", "acquireTime", "renewTime", "leaseTransitions");
    assertThat(spec.get("holderIdentity").getAsString()).isEqualTo("pod-a_1f2e3d4c");
    assertThat(spec.get("leaseDurationSeconds").getAsJsonPrimitive().isNumber()).isTrue();
    assertThat(spec.get("leaseDurationSeconds").getAsString()).isEqualTo("15");
    assertThat(spec.get("acquireTime").getAsString())
        .matches(MICRO_TIME).isEqualTo("2026-11-22T10:00:00.123456Z");
    assertThat(spec.get("renewTime").getAsString())
        .matches(MICRO_TIME).isEqualTo("2026-11-22T10:00:05.123456Z");
    assertThat(spec.get("leaseTransitions").getAsString()).isEqualTo("4");
  }

  @Test
  void releasedLeaseShouldKeepAnEmptyHolderAsClientGoWritesIt() {
    LeaseLock lock = lock("released");
    LeaderRecord created = lock.create(LeaderRecord.builder().holderIdentity("a")
        .leaseDuration(Duration.ofSeconds(15)).acquireTime(NOW).renewTime(NOW).build());
    lock.update(LeaderRecord.builder().holderIdentity("").leaseDuration(Duration.ofSeconds(1))
        .acquireTime(NOW).renewTime(NOW).version(created.version()).build());

    JsonObject spec = JsonParser.parseString(server.raw("GET", leases() + "/released", null))
        .getAsJsonObject().getAsJsonObject("spec");

    assertThat(spec.get("holderIdentity").getAsString()).isEmpty();
    assertThat(spec.get("leaseDurationSeconds").getAsInt()).isEqualTo(1);
  }

  @Test
  void configMapWrittenByClientGoShouldBeReadExactly() {
    server.raw("POST", configMaps(), """
        {"apiVersion":"v1","kind":"ConfigMap",
         "metadata":{"name":"go-written","annotations":{
           "control-plane.alpha.kubernetes.io/leader":
           "{\\"holderIdentity\\":\\"go-client\\",\\"leaseDurationSeconds\\":15,\\"acquireTime\\":\\"2026-11-22T10:00:00Z\\",\\"renewTime\\":\\"2026-11-22T10:00:05Z\\",\\"leaderTransitions\\":2}"}},
         "data":{"keep":"me"}}""");

    LeaderRecord record = configMapLock("go-written").get().orElseThrow();

    assertThat(record.holderIdentity()).isEqualTo("go-client");
    assertThat(record.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(record.acquireTime()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
    assertThat(record.renewTime()).isEqualTo(Instant.parse("2026-11-22T10:00:05Z"));
    assertThat(record.leaseTransitions()).isEqualTo(2);
  }

  @Test
  void configMapWrittenByThisLibraryShouldHaveClientGoAnnotationAndKeepOtherData() {
    server.raw("POST", configMaps(), """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shared",
         "labels":{"team":"payments"}},"data":{"keep":"me"}}""");
    LeaseLock lock = configMapLock("shared");
    LeaderRecord free = lock.get().orElseThrow();
    assertThat(free.isHeld()).isFalse();

    lock.update(LeaderRecord.builder().holderIdentity("pod-a")
        .leaseDuration(Duration.ofSeconds(15)).acquireTime(NOW).renewTime(NOW).leaseTransitions(1)
        .version(free.version()).build());

    JsonObject configMap = JsonParser.parseString(server.raw("GET", configMaps() + "/shared",
        null)).getAsJsonObject();
    JsonObject record = JsonParser.parseString(configMap.getAsJsonObject("metadata")
        .getAsJsonObject("annotations").get("control-plane.alpha.kubernetes.io/leader")
        .getAsString()).getAsJsonObject();
    // client-go's fields in its order, then fabric8's name for the duration, for its electors.
    assertThat(record.keySet()).containsExactly("holderIdentity", "leaseDurationSeconds",
        "acquireTime", "renewTime", "leaderTransitions", "leaseDuration");
    assertThat(record.get("leaseDuration").getAsLong())
        .isEqualTo(record.get("leaseDurationSeconds").getAsLong());
    assertThat(record.get("renewTime").getAsString()).matches(MICRO_TIME);
    assertThat(record.get("leaderTransitions").getAsInt()).isEqualTo(1);
    assertThat(configMap.getAsJsonObject("data").get("keep").getAsString()).isEqualTo("me");
    assertThat(configMap.getAsJsonObject("metadata").getAsJsonObject("labels")
        .get("team").getAsString()).isEqualTo("payments");
  }

  @Test
  void priorityAndPreferredHolderShouldSurviveInAnnotations() {
    LeaseLock lock = lock("priorities");
    LeaderRecord written = LeaderRecord.builder().holderIdentity("low")
        .leaseDuration(Duration.ofSeconds(15)).acquireTime(NOW).renewTime(NOW).holderPriority(1)
        .preferredHolder(new LeaderRecord.PreferredHolder("high", 9)).build();

    LeaderRecord created = lock.create(written);

    assertThat(lock("priorities").get()).contains(written.withVersion(created.version()));
    JsonObject annotations = JsonParser.parseString(server.raw("GET",
            leases() + "/priorities", null))
        .getAsJsonObject().getAsJsonObject("metadata").getAsJsonObject("annotations");
    assertThat(annotations.get("leaderelection.dev/preferred-holder").getAsString())
        .isEqualTo("high");
    assertThat(annotations.get("leaderelection.dev/preferred-holder-priority").getAsString())
        .isEqualTo("9");
    assertThat(annotations.get("leaderelection.dev/holder-priority").getAsString())
        .isEqualTo("1");
  }

  private LeaseLock lock(String name) {
    return fixture.locks(server.adminClient()).lease(namespace, name, Duration.ofSeconds(5));
  }

  private LeaseLock configMapLock(String name) {
    return fixture.locks(server.adminClient()).configMap(namespace, name,
        Duration.ofSeconds(5));
  }

  private String leases() {
    return "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases";
  }

  private String configMaps() {
    return "/api/v1/namespaces/" + namespace + "/configmaps";
  }
}
