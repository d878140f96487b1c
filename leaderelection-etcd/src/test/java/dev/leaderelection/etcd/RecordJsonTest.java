package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordJsonTest {

  private static final Instant ACQUIRED = Instant.parse("2026-11-22T10:00:00.123456Z");
  private static final Instant RENEWED = Instant.parse("2026-11-22T10:00:05.654321Z");

  @Test
  void shouldWriteClientGoFieldNamesInClientGoOrder() {
    LeaderRecord record = LeaderRecord.builder().holderIdentity("a")
        .leaseDuration(Duration.ofSeconds(15)).acquireTime(ACQUIRED).renewTime(RENEWED)
        .leaseTransitions(3).build();

    assertThat(RecordJson.encode(record)).isEqualTo("{\"holderIdentity\":\"a\","
        + "\"leaseDurationSeconds\":15,\"acquireTime\":\"2026-11-22T10:00:00.123456Z\","
        + "\"renewTime\":\"2026-11-22T10:00:05.654321Z\",\"leaderTransitions\":3}");
  }

  @Test
  void shouldRoundTripEveryFieldWithTheGivenVersion() {
    LeaderRecord record = LeaderRecord.builder().holderIdentity("a")
        .leaseDuration(Duration.ofSeconds(15)).acquireTime(ACQUIRED).renewTime(RENEWED)
        .leaseTransitions(3).holderPriority(2).preferredHolder(new PreferredHolder("c", 7)).build();

    String json = RecordJson.encode(record);

    assertThat(json).contains("\"preferredHolder\":\"c\"", "\"holderPriority\":2",
        "\"preferredHolderPriority\":7");
    assertThat(RecordJson.decode(json, "42", "/k")).isEqualTo(record.withVersion("42"));
  }

  @Test
  void releasedRecordWithoutTimesShouldRoundTripWithNulls() {
    LeaderRecord released = LeaderRecord.builder().holderIdentity("")
        .leaseDuration(Duration.ofSeconds(1)).leaseTransitions(4).build();

    String json = RecordJson.encode(released);

    assertThat(json).contains("\"acquireTime\":null", "\"renewTime\":null");
    assertThat(RecordJson.decode(json, "7", "/k")).isEqualTo(released.withVersion("7"));
  }

  @Test
  void shouldReadWhatClientGoWritesIgnoringFieldsItDoesNotKnow() {
    String clientGo = "{\"holderIdentity\":\"node-1\",\"leaseDurationSeconds\":15,"
        + "\"acquireTime\":\"2026-11-22T10:00:00Z\",\"renewTime\":\"2026-11-22T10:00:05Z\","
        + "\"leaderTransitions\":2,\"strategy\":\"OldestEmulationVersion\"}";

    LeaderRecord record = RecordJson.decode(clientGo, "9", "/k");

    assertThat(record).isEqualTo(LeaderRecord.builder().holderIdentity("node-1")
        .leaseDuration(Duration.ofSeconds(15)).acquireTime(Instant.parse("2026-11-22T10:00:00Z"))
        .renewTime(Instant.parse("2026-11-22T10:00:05Z")).leaseTransitions(2).version("9").build());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "not json at all|it is not the JSON object of a client-go leader record",
      "[1,2]|it is not the JSON object of a client-go leader record",
      "{\"holderIdentity\":5}|holderIdentity must be a string but is 5",
      "{\"leaseDurationSeconds\":2.5}|leaseDurationSeconds must be a whole number from 0",
      "{\"leaseDurationSeconds\":-1}|leaseDurationSeconds must be a whole number from 0",
      "{\"leaderTransitions\":1e300}|leaderTransitions must be a whole number from 0",
      "{\"renewTime\":\"yesterday\"}|renewTime must be an RFC 3339 time but is \"yesterday\"",
  })
  void malformedValuesShouldBeRefusedWithTheKeyAndTheRuleNamed(String value, String problem) {
    assertThatExceptionOfType(LeaseLockException.class)
        .isThrownBy(() -> RecordJson.decode(value, "1", "/leaderelection/x"))
        .withMessageContaining("etcd key /leaderelection/x holds a value that is not a leader "
            + "record (" + problem)
        .withMessageContaining("it is not overwritten");
  }
}
