package dev.leaderelection.internal.election;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The pure rules that compare a record's holder and preferred holder with this candidate. */
class CandidateTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private final Candidate me = new Candidate("me", 5, false);

  @Test
  void candidateShouldHoldOnlyARecordUnderItsOwnIdentity() {
    assertThat(me.holds(record("me", 0, null))).isTrue();
    assertThat(me.holds(record("other", 0, null))).isFalse();
    assertThat(me.holds(record("", 0, null))).isFalse();
  }

  @Test
  void candidateShouldDeferOnlyToAnotherPreferredCandidateOfHigherPriority() {
    assertThat(me.mustDeferTo(record("me", 5, new PreferredHolder("b", 6)))).isTrue();
    assertThat(me.mustDeferTo(record("me", 5, new PreferredHolder("b", 5)))).isFalse();
    assertThat(me.mustDeferTo(record("b", 9, new PreferredHolder("me", 5)))).isFalse();
    assertThat(me.mustDeferTo(record("b", 9, null))).isFalse();
  }

  @Test
  void candidateShouldAskForPreferenceOnlyAboveTheHolderAndAnyEarlierClaim() {
    assertThat(me.outranksForPreference(record("b", 4, null))).isTrue();
    assertThat(me.outranksForPreference(record("b", 5, null))).as("equal priority").isFalse();
    assertThat(me.outranksForPreference(record("", 0, null))).as("free lease").isFalse();
    assertThat(me.outranksForPreference(record("b", 1, new PreferredHolder("c", 4)))).isTrue();
    assertThat(me.outranksForPreference(record("b", 1, new PreferredHolder("c", 7)))).isFalse();
    assertThat(me.outranksForPreference(record("b", 1, new PreferredHolder("me", 5))))
        .as("already asked").isFalse();
  }

  @Test
  void candidateShouldWaitForAnotherHolderOrAPreferredCandidateOnly() {
    assertThat(me.waitsForAnother(record("b", 0, null))).isTrue();
    assertThat(me.waitsForAnother(record("", 0, new PreferredHolder("b", 9)))).isTrue();
    assertThat(me.waitsForAnother(record("me", 5, null))).isFalse();
    assertThat(me.waitsForAnother(record("", 0, null))).isFalse();
  }

  @Test
  void leaderShouldActOnAnotherHolderOrAPreferredCandidateAndFollowerOnAFreeLease() {
    assertThat(me.mustActOn(record("b", 0, null), true)).isTrue();
    assertThat(me.mustActOn(record("me", 5, new PreferredHolder("b", 9)), true)).isTrue();
    assertThat(me.mustActOn(record("me", 5, null), true)).isFalse();
    assertThat(me.mustActOn(record("", 0, null), false)).isTrue();
    assertThat(me.mustActOn(record("", 0, new PreferredHolder("b", 9)), false))
        .as("freed for a preferred candidate").isFalse();
    assertThat(me.mustActOn(record("b", 4, null), false)).as("preference to claim").isTrue();
    assertThat(me.mustActOn(record("b", 9, null), false)).isFalse();
  }

  @Test
  void followerShouldWaitUntilTheObservedLeaseExpiresAndNoLonger() {
    Observation held = new Observation(record("b", 9, null), 0);

    assertThat(me.mayWaitFor(held, 5 * SECOND)).isEqualTo(10 * SECOND);
    assertThat(me.mayWaitFor(held, 15 * SECOND)).as("expired").isZero();
    assertThat(me.mayWaitFor(new Observation(record("", 0, null), 0), SECOND)).as("free")
        .isZero();
    assertThat(me.mayWaitFor(new Observation(record("b", 1, null), 0), SECOND))
        .as("a preference to claim").isZero();
  }

  private static LeaderRecord record(String holder, int holderPriority,
      @Nullable PreferredHolder preferred) {
    Instant now = Instant.parse("2026-12-02T00:00:00Z");
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(Duration.ofSeconds(15))
        .acquireTime(now).renewTime(now).leaseTransitions(3).holderPriority(holderPriority)
        .preferredHolder(preferred).version("7").build();
  }
}
