package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.internal.WatchBackoff;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A broken watch reconnects with backoff, and a watch that stayed up starts the backoff over. */
class WatchBackoffTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private final WatchBackoff backoff = new WatchBackoff();

  @Test
  void firstFailureShouldWaitOneSecond() {
    assertThat(backoff.failedNanos(0)).isEqualTo(SECOND);
  }

  @Test
  void watchBreakingSoonAfterEachReconnectShouldBackOffFurtherUpToThirtySeconds() {
    long now = 0;
    StringBuilder delays = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      long delay = backoff.failedNanos(now);
      delays.append(delay / SECOND).append(' ');
      now += delay;
      backoff.connected(now);
      now += SECOND;
    }

    assertThat(delays.toString().trim()).isEqualTo("1 2 4 8 16 30 30");
  }

  @Test
  void watchUpForThirtySecondsShouldStartItsBackoffOver() {
    backoff.failedNanos(0);
    backoff.failedNanos(SECOND);
    backoff.connected(3 * SECOND);

    assertThat(backoff.failedNanos(3 * SECOND + 30 * SECOND - 1))
        .as("up just under 30 s: backing off further").isEqualTo(4 * SECOND);
    backoff.connected(40 * SECOND);
    assertThat(backoff.failedNanos(70 * SECOND)).as("up for 30 s: from the start again")
        .isEqualTo(SECOND);
  }

  @Test
  void failuresWithoutAnyConnectionShouldKeepBackingOff() {
    assertThat(backoff.failedNanos(0)).isEqualTo(SECOND);
    assertThat(backoff.failedNanos(100 * SECOND)).isEqualTo(2 * SECOND);
  }
}
