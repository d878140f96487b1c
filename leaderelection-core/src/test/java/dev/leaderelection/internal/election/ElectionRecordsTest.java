package dev.leaderelection.internal.election;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
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

    assertThat(term).isEqualTo(LeaderRecord.builder().holderIdentity("me")
        .leaseDuration(Duration.ofSeconds(15)).acquireTime(NOW_MICROS).renewTime(NOW_MICROS)
        .leaseTransitions(8).holderPriority(3).version("v7").build());
    assertThat(records.newTerm(null, 0).version()).isNull();
  }

  @Test
  void renewalShouldKeepTheTermAndItsAcquireTimeAndDropAPreferenceClaim() {
    LeaderRecord renewal = records.renewal(held("me", new PreferredHolder("x", 9)));

    assertThat(renewal).isEqualTo(LeaderRecord.builder().holderIdentity("me")
        .leaseDuration(Duration.ofSeconds(15)).acquireTime(EARLIER).renewTime(NOW_MICROS)
        .leaseTransitions(4).holderPriority(3).version("v7").build());
  }

  @Test
  void releaseShouldClearTheHolderWithAShortLeaseAndKeepCountAndPreference() {
    PreferredHolder preferred = new PreferredHolder("x", 9);

    assertThat(records.release(held("me", preferred))).isEqualTo(LeaderRecord.builder()
        .holderIdentity("").leaseDuration(ElectionRecords.RELEASED_LEASE_DURATION)
        .acquireTime(NOW_MICROS).renewTime(NOW_MICROS).leaseTransitions(4)
        .preferredHolder(preferred).version("v7").build());
  }

  @Test
  void preferenceClaimShouldChangeNothingButThePreferredHolder() {
    LeaderRecord held = held("other", null);

    assertThat(records.preferenceClaim(held)).isEqualTo(LeaderRecord.builder()
        .holderIdentity("other").leaseDuration(held.leaseDuration()).acquireTime(EARLIER)
        .renewTime(EARLIER).leaseTransitions(4).holderPriority(1)
        .preferredHolder(new PreferredHolder("me", 3)).version("v7").build());
  }

  private static LeaderRecord held(String holder, PreferredHolder preferred) {
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(Duration.ofSeconds(30))
        .acquireTime(EARLIER).renewTime(EARLIER).leaseTransitions(4).holderPriority(1)
        .preferredHolder(preferred).version("v7").build();
  }
}
