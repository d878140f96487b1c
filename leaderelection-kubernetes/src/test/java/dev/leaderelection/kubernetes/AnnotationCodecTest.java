package dev.leaderelection.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strict decoding of client-go's ConfigMap annotation: nothing malformed is read leniently. */
class AnnotationCodecTest {

  private final AnnotationCodec<V1ConfigMap> codec =
      AnnotationCodec.configMap(new ObjectReference("configmaps", "", "ns", "lock"));

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"leaseDurationSeconds\":1e300}|leaseDurationSeconds must be a whole number from 0 to 2147483647 but is 1e300",
      "{\"leaseDurationSeconds\":2.5}|leaseDurationSeconds must be a whole number from 0 to 2147483647 but is 2.5",
      "{\"leaseDurationSeconds\":2.0}|leaseDurationSeconds must be a whole number from 0 to 2147483647 but is 2.0",
      "{\"leaseDurationSeconds\":-5}|leaseDurationSeconds must be a whole number from 0 to 2147483647 but is -5",
      "{\"leaderTransitions\":2147483648}|leaderTransitions must be a whole number from 0 to 2147483647 but is 2147483648",
      "{\"leaderTransitions\":99999999999999999999}|leaderTransitions must be a whole number",
      "{\"leaderTransitions\":\"3\"}|leaderTransitions must be a number but is \"3\"",
      "{\"holderIdentity\":7}|holderIdentity must be a string but is 7",
      "{\"renewTime\":\"yesterday\"}|renewTime must be an RFC 3339 time but is \"yesterday\"",
      "[1,2]|it is not the JSON object of a client-go leader record",
      "{not json|it is not the JSON object of a client-go leader record",
  })
  void malformedAnnotationShouldBeRejectedWithOneLineReason(String json, String reason) {
    assertThatThrownBy(() -> codec.decode(annotated(json)))
        .isInstanceOf(LeaseLockException.class)
        .hasMessageContaining("ConfigMap ns/lock has a malformed")
        .hasMessageContaining(reason)
        .hasMessageContaining("it is not overwritten")
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining("setStrictness");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"holderIdentity\":\"a\",\"leaseDurationSeconds\":15,\"leaderTransitions\":2147483647}|15|2147483647",
      "{\"holderIdentity\":\"a\",\"leaseDurationSeconds\":0,\"leaderTransitions\":0}|0|0",
      "{\"holderIdentity\":\"a\"}|0|0",
  })
  void wellFormedAnnotationShouldBeReadExactly(String json, long seconds, int transitions) {
    LeaderRecord record = codec.decode(annotated(json));

    assertThat(record.holderIdentity()).isEqualTo("a");
    assertThat(record.leaseDuration()).isEqualTo(Duration.ofSeconds(seconds));
    assertThat(record.leaseTransitions()).isEqualTo(transitions);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "2026-12-04T17:22:32Z",
      "2026-12-04T17:22:32.032000Z",
      "2026-12-04T17:22:32.032Z",
      "2026-12-04T17:22:32.032+0000",
      "2026-12-04T18:22:32.032+01:00",
      "2026-12-04T18:22:32.032+0100",
  })
  void timesAsThePeersWriteThemShouldBeRead(String time) {
    LeaderRecord record = codec.decode(annotated("{\"holderIdentity\":\"a\",\"renewTime\":\""
        + time + "\"}"));

    assertThat(record.renewTime()).isBetween(java.time.Instant.parse("2026-12-04T17:22:32Z"),
        java.time.Instant.parse("2026-12-04T17:22:32.032Z"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "6.000000000|6",
      "6|6",
      "\"PT6S\"|6",
      "15.5|15",
  })
  void fabric8sLeaseDurationShouldBeReadWhereClientGosIsMissing(String duration, long seconds) {
    LeaderRecord record = codec.decode(annotated("{\"holderIdentity\":\"fabric8-pod\","
        + "\"leaseDuration\":" + duration + ",\"acquireTime\":\"2026-12-04T17:25:24.015000Z\","
        + "\"renewTime\":\"2026-12-04T17:25:24.015000Z\",\"leaderTransitions\":2}"));

    assertThat(record.leaseDuration()).isEqualTo(Duration.ofSeconds(seconds));
    assertThat(record.leaseTransitions()).isEqualTo(2);
  }

  @Test
  void malformedFabric8LeaseDurationShouldBeRejected() {
    assertThatThrownBy(() -> codec.decode(annotated("{\"leaseDuration\":\"soon\"}")))
        .isInstanceOf(LeaseLockException.class)
        .hasMessageContaining("leaseDuration must be a duration from 0 to 2147483647 seconds");
  }

  @Test
  void writtenRecordShouldCarryBothLeaseDurationFields() {
    String json = AnnotationCodec.toJson(LeaderRecord.builder().holderIdentity("a")
        .leaseDuration(Duration.ofSeconds(15)).leaseTransitions(3).build());

    assertThat(json).contains("\"leaseDurationSeconds\":15", "\"leaseDuration\":15");
  }

  private static V1ConfigMap annotated(String json) {
    return new V1ConfigMap().metadata(new V1ObjectMeta().namespace("ns").name("lock")
        .resourceVersion("1").annotations(Map.of(AnnotationCodec.LEADER_ANNOTATION, json)));
  }
}
