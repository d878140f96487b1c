package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.LeaderRecord.PreferredHolder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The records an elector writes, field for field. */
class ElectionRecordsTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00.123456789Z");
  private static final Instant NOW_MICROS = Instant.parse("2026-12-01T10:00:00.123456Z");
  private static final Instant EARLIER = Instant.parse("2026-12-01T09:00:00Z");

  private final ElectionRecords records = new ElectionRecords("me", Duration.ofSeconds(15), 3,
      Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void newTermShouldHoldTheTokenTheTimesInMicrosAndTheReplacedVersion() {
    LeaderRecord term = records.newTerm(held("other", new PreferredHolder("x", 9)), 8);

    assertThat(term).isEqualTo(new LeaderRecord("me", Duration.ofSeconds(15), NOW_MICROS,
        NOW_MICROS, 8, 3, null, "v7"));
    assertThat(records.newTerm(null, 0).version()).isNull();
  }

  @Test
  void renewalShouldKeepTheTermAndItsAcquireTimeAndDropAPreferenceClaim() {
    LeaderRecord renewal = records.renewal(held("me", new PreferredHolder("x", 9)));

    assertThat(renewal).isEqualTo(new LeaderRecord("me", Duration.ofSeconds(15), EARLIER,
        NOW_MICROS, 4, 3, null, "v7"));
  }

  @Test
  void releaseShouldClearTheHolderWithAShortLeaseAndKeepCountAndPreference() {
    PreferredHolder preferred = new PreferredHolder("x", 9);

    assertThat(records.release(held("me", preferred))).isEqualTo(new LeaderRecord("",
        ElectionRecords.RELEASED_LEASE_DURATION, NOW_MICROS, NOW_MICROS, 4, 0, preferred, "v7"));
  }

  @Test
  void preferenceClaimShouldChangeNothingButThePreferredHolder() {
    LeaderRecord held = held("other", null);

    assertThat(records.preferenceClaim(held)).isEqualTo(new LeaderRecord("other",
        held.leaseDuration(), EARLIER, EARLIER, 4, 1, new PreferredHolder("me", 3), "v7"));
  }

  private static LeaderRecord held(String holder, PreferredHolder preferred) {
    return new LeaderRecord(holder, Duration.ofSeconds(30), EARLIER, EARLIER, 4, 1, preferred,
        "v7");
  }
}
