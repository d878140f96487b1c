package dev.leaderelection.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records as a hostile or careless hand ({@code kubectl edit}, another client, a bad script)
 * leaves them on a real API server, and what the elector does with each: take the lease (with
 * the fencing token it must have), wait the holder out, or refuse a malformed record without
 * ever overwriting it.
 */
class HostileRecordsIT extends RealApiServerTest {

  private static final String NAME = "hostile";
  private static final String ME = "me";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration HOLD = Duration.ofMillis(2500);

  /** What the elector must do with a record. */
  sealed interface Outcome permits Leads, Waits, Refuses {
  }

  /** Leads within a few seconds, with this fencing token. */
  record Leads(long token) implements Outcome {
  }

  /** Does not lead for a while, and leaves the record to its holder. */
  record Waits() implements Outcome {
  }

  /** Reports a failure containing {@code reason} and never overwrites the record. */
  record Refuses(String reason) implements Outcome {
  }

  /** One case: the object as written (Lease spec, or ConfigMap annotation JSON) and the outcome. */
  record Case(String name, boolean configMap, String written, String annotations,
      Outcome outcome) {

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        lease("released holder keeps its count", "{\"holderIdentity\":\"\",\"leaseTransitions\":5,"
            + "\"leaseDurationSeconds\":3600}", new Leads(6)),
        lease("empty spec", "{}", new Leads(1)),
        lease("holder without a duration", "{\"holderIdentity\":\"stranger\","
            + "\"leaseTransitions\":2}", new Leads(3)),
        lease("short lease of a dead holder", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":1,\"leaseTransitions\":2}", new Leads(3)),
        lease("live-looking holder with an hour's lease", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":3600,\"leaseTransitions\":2}", new Waits()),
        lease("int32 maximum lease duration", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":2147483647}", new Waits()),
        lease("renewTime far in the future does not extend a short lease",
            "{\"holderIdentity\":\"stranger\",\"leaseDurationSeconds\":1,"
                + "\"renewTime\":\"2999-01-01T00:00:00.000000Z\",\"leaseTransitions\":4}",
            new Leads(5)),
        lease("renewTime far in the past does not shorten a long lease",
            "{\"holderIdentity\":\"stranger\",\"leaseDurationSeconds\":3600,"
                + "\"renewTime\":\"1970-01-01T00:00:00.000000Z\"}", new Waits()),
        lease("holder with a line break and NUL", "{\"holderIdentity\":\"evil\\nline\\u0000x\","
            + "\"leaseDurationSeconds\":3600}", new Waits()),
        lease("holder of 60,000 characters", "{\"holderIdentity\":\"" + "x".repeat(60_000)
            + "\",\"leaseDurationSeconds\":1,\"leaseTransitions\":1}", new Leads(2)),
        lease("our own identity from an earlier run", "{\"holderIdentity\":\"me\","
            + "\"leaseDurationSeconds\":3600,\"leaseTransitions\":4}", new Leads(5)),
        lease("fencing token one below the int32 limit", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":1,\"leaseTransitions\":2147483646}",
            new Leads(Integer.MAX_VALUE)),
        lease("fencing token at the int32 limit", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":1,\"leaseTransitions\":2147483647}",
            new Refuses("leaseTransitions is 2147483647")),
        leaseAnnotated("malformed holder priority", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":1}", "{\"leaderelection.dev/holder-priority\":\"high\\n\"}",
            new Refuses("malformed annotation leaderelection.dev/holder-priority='high\\n'")),
        leaseAnnotated("a stranger's unrelated annotations", "{\"holderIdentity\":\"\"}",
            "{\"team\":\"payments\"}", new Leads(1)),
        configMap("no annotation", null, new Leads(1)),
        configMap("empty annotation", "", new Leads(1)),
        configMap("released holder keeps its count", "{\"holderIdentity\":\"\","
            + "\"leaseDurationSeconds\":3600,\"leaderTransitions\":7}", new Leads(8)),
        configMap("short lease of a dead holder", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":1,\"leaderTransitions\":2}", new Leads(3)),
        configMap("live-looking holder", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":3600,\"leaderTransitions\":2}", new Waits()),
        configMap("not JSON", "{not json", new Refuses("it is not the JSON object")),
        configMap("a JSON array", "[1,2]", new Refuses("it is not the JSON object")),
        configMap("huge number as duration", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":1e300}", new Refuses("leaseDurationSeconds must be a "
            + "whole number from 0 to 2147483647 but is 1e300")),
        configMap("fractional duration", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":2.5}", new Refuses("but is 2.5")),
        configMap("negative duration", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":-5}", new Refuses("but is -5")),
        configMap("transitions as a string", "{\"holderIdentity\":\"stranger\","
            + "\"leaderTransitions\":\"3\"}", new Refuses("leaderTransitions must be a number")),
        configMap("transitions above int32", "{\"holderIdentity\":\"stranger\","
            + "\"leaderTransitions\":2147483648}", new Refuses("but is 2147483648")),
        configMap("holder as a number", "{\"holderIdentity\":7}",
            new Refuses("holderIdentity must be a string but is 7")),
        configMap("renewTime that is no time", "{\"holderIdentity\":\"stranger\","
            + "\"renewTime\":\"yesterday\"}", new Refuses("renewTime must be an RFC 3339 time")),
        configMap("fencing token at the int32 limit", "{\"holderIdentity\":\"stranger\","
            + "\"leaseDurationSeconds\":1,\"leaderTransitions\":2147483647}",
            new Refuses("leaderTransitions is 2147483647")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileRecordShouldGetASafeAnswer(Case hostile) {
    write(hostile);
    String before = object(hostile.configMap());
    LeaseLock lock = hostile.configMap()
        ? fixture.locks(server.adminClient()).configMap(namespace, NAME,
            ElectorFixture.REQUEST_TIMEOUT)
        : fixture.lease(server.adminClient(), namespace, NAME);

    LeaderElector elector = fixture.start(ME, lock, UnaryOperator.identity());

    Outcome outcome = hostile.outcome();
    if (outcome instanceof Leads leads) {
      await().atMost(WAIT).until(() -> elector.isLeader() && fixture.context(ME) != null);
      assertThat(fixture.context(ME).fencingToken()).isEqualTo(leads.token());
    } else if (outcome instanceof Refuses refuses) {
      await().atMost(WAIT).until(() -> elector.lastFailure().isPresent());
      await().during(HOLD).atMost(HOLD.plusSeconds(5)).until(() -> !elector.isLeader());
      assertThat(elector.lastFailure().orElseThrow().getMessage())
          .contains(refuses.reason()).doesNotContain("\n");
      assertThat(record(hostile.configMap(), object(hostile.configMap())))
          .as("never overwritten").isEqualTo(record(hostile.configMap(), before));
    } else {
      await().during(HOLD).atMost(HOLD.plusSeconds(5)).until(() -> !elector.isLeader());
      assertThat(holder(hostile.configMap(), object(hostile.configMap())))
          .isEqualTo(holder(hostile.configMap(), before));
    }
  }

  @Test
  void deletingALeaseHeldForAnHourShouldHandOverAtOnce() {
    write(lease("held for an hour", "{\"holderIdentity\":\"stranger\","
        + "\"leaseDurationSeconds\":3600,\"leaseTransitions\":3}", new Waits()));
    LeaderElector elector = fixture.start(ME, fixture.lease(server.adminClient(),
        namespace, NAME), UnaryOperator.identity());
    await().atMost(WAIT).until(() -> elector.leader().isPresent());

    server.raw("DELETE", "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases/"
        + NAME, null);

    await().atMost(WAIT).until(() -> elector.isLeader() && fixture.context(ME) != null);
    assertThat(fixture.context(ME).fencingToken()).as("above every token seen").isEqualTo(4);
  }

  private void write(Case hostile) {
    String annotations = hostile.annotations().isEmpty() ? ""
        : ",\"annotations\":" + hostile.annotations();
    if (hostile.configMap()) {
      server.raw("POST", "/api/v1/namespaces/" + namespace + "/configmaps",
          "{\"metadata\":{\"name\":\"" + NAME + "\"" + annotations + "},"
              + "\"data\":{\"kept\":\"yes\"}}");
    } else {
      server.raw("POST", "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases",
          "{\"metadata\":{\"name\":\"" + NAME + "\"" + annotations + "},\"spec\":"
              + hostile.written() + "}");
    }
  }

  private String object(boolean configMap) {
    return server.raw("GET", configMap ? "/api/v1/namespaces/" + namespace + "/configmaps/" + NAME
        : "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases/" + NAME, null);
  }

  /** The record part of the object: the Lease spec, or the leader annotation. */
  private static String record(boolean configMap, String json) {
    JsonObject object = JsonParser.parseString(json).getAsJsonObject();
    if (configMap) {
      JsonObject metadata = object.getAsJsonObject("metadata");
      return String.valueOf(metadata.get("annotations"));
    }
    return object.get("spec").toString();
  }

  private static String holder(boolean configMap, String json) {
    String record = record(configMap, json);
    int at = record.indexOf("holderIdentity");
    return at < 0 ? "" : record.substring(at, Math.min(record.length(), at + 80));
  }

  private static Case lease(String name, String spec, Outcome outcome) {
    return new Case("Lease: " + name, false, spec, "", outcome);
  }

  private static Case leaseAnnotated(String name, String spec, String annotations,
      Outcome outcome) {
    return new Case("Lease: " + name, false, spec, annotations, outcome);
  }

  private static Case configMap(String name, String annotation, Outcome outcome) {
    String annotations = annotation == null ? "" : "{\"" + AnnotationCodec.LEADER_ANNOTATION
        + "\":" + new com.google.gson.JsonPrimitive(annotation) + "}";
    return new Case("ConfigMap: " + name, true, "", annotations, outcome);
  }
}
