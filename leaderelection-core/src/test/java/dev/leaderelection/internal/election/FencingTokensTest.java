package dev.leaderelection.internal.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FencingTokensTest {

  private final FencingTokens tokens = new FencingTokens("Lease ns/x", "Lease");

  @Test
  void firstTermWithoutARecordShouldGetZero() {
    assertThat(tokens.next(null)).isZero();
  }

  @Test
  void newTermShouldBeAboveTheRecordAndEveryTokenSeen() {
    tokens.saw(record(41));

    assertThat(tokens.next(record(3))).isEqualTo(42);
    assertThat(tokens.next(null)).as("after a deletion").isEqualTo(42);
    assertThat(tokens.next(record(50))).isEqualTo(51);
  }

  @Test
  void recordWithFewerTransitionsThanSeenShouldHaveLostItsHistory() {
    tokens.saw(record(7));

    assertThat(tokens.lostHistory(record(0))).isTrue();
    assertThat(tokens.lostHistory(record(7))).isFalse();
  }

  @Test
  void recordAtTheInt32LimitShouldBeRefusedNamingTheRepair() {
    assertThatThrownBy(() -> tokens.next(record(Integer.MAX_VALUE)))
        .isInstanceOf(LeaseLockException.class)
        .hasMessageStartingWith("Lease ns/x: leaseTransitions is 2147483647")
        .hasMessageContaining("set spec.leaseTransitions lower");
  }

  @Test
  void recordResetAfterTheLimitShouldStartTheCountOver() {
    tokens.saw(record(Integer.MAX_VALUE));

    assertThat(tokens.next(record(5))).isEqualTo(6);
    assertThat(tokens.next(record(6))).as("and keeps growing from there").isEqualTo(7);
  }

  private static LeaderRecord record(int transitions) {
    Instant now = Instant.EPOCH;
    return LeaderRecord.builder().holderIdentity("other").leaseDuration(Duration.ofSeconds(15))
        .acquireTime(now).renewTime(now).leaseTransitions(transitions).version("1").build();
  }
}
