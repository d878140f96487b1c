package dev.leaderelection.internal.election;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.RecordingListener;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** What an elector last saw of the record, since when, and who it announced as leader. */
class ObservationsTest {

  private final RecordingListener listener = new RecordingListener();
  private final ListenerDispatcher listeners = new ListenerDispatcher(List.of(listener),
      Runnable::run);
  private final FencingTokens tokens = new FencingTokens("lock", "in-memory");
  private final Observations observations = new Observations("me", "lock", tokens, listeners);

  @Test
  void newVersionShouldBeObservedFromNowAndTheSameVersionShouldKeepItsTime() {
    observations.observe(record("b", 1, "10", null), 100);
    observations.observe(record("b", 1, "10", null), 200);
    assertThat(observations.current().observedAtNanos()).isEqualTo(100);

    observations.observe(record("b", 2, "11", null), 300);
    assertThat(observations.current().observedAtNanos()).isEqualTo(300);
  }

  @Test
  void staleReadShouldNeverTakeTheObservationBack() {
    observations.observe(record("c", 1, "12", null), 100);

    Observation kept = observations.observe(record("b", 1, "9", null), 200);

    assertThat(kept.record().holderIdentity()).isEqualTo("c");
    assertThat(observations.current()).isSameAs(kept);
  }

  @Test
  void preferredHolderChangeAloneShouldKeepTheTimeTheRenewalWasFirstSeen() {
    observations.observe(record("b", 1, "10", null), 100);

    observations.observe(record("b", 1, "11", new PreferredHolder("me", 5)), 900);

    assertThat(observations.current().observedAtNanos()).isEqualTo(100);
    assertThat(observations.current().record().version()).isEqualTo("11");
  }

  @Test
  void eachNewHolderShouldBeAnnouncedOnceAndAFreeLeaseNever() {
    observations.observe(record("b", 1, "10", null), 1);
    observations.observe(record("b", 1, "11", null), 2);
    observations.observe(record("", 1, "12", null), 3);
    observations.observe(record("c", 2, "13", null), 4);
    listeners.flush();

    assertThat(listener.events()).containsExactly("leader b", "leader c");
  }

  @Test
  void everyObservedRecordShouldRaiseTheHighestFencingTokenSeen() {
    observations.observe(record("b", 7, "10", null), 1);

    assertThat(tokens.lostHistory(record("", 3, "11", null))).isTrue();
  }

  @Test
  void forgottenRecordShouldLeaveNoObservation() {
    observations.observe(record("b", 1, "10", null), 1);

    observations.forget();

    assertThat(observations.current()).isNull();
  }

  private static LeaderRecord record(String holder, int transitions, String version,
      @Nullable PreferredHolder preferred) {
    Instant renewed = Instant.parse("2026-12-02T00:00:00Z");
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(Duration.ofSeconds(15))
        .acquireTime(renewed).renewTime(renewed).leaseTransitions(transitions)
        .preferredHolder(preferred).version(version).build();
  }
}
