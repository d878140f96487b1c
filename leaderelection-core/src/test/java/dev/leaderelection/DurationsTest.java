package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.internal.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void durationsShouldBeWrittenAsTheyAreConfigured() {
    assertThat(Durations.format(Duration.ofSeconds(15))).isEqualTo("15s");
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.format(Duration.ofMillis(-1500))).isEqualTo("-1500ms");
    assertThat(Durations.format(Duration.ofNanos(15_000_000_100L))).isEqualTo("PT15.0000001S");
  }

  @Test
  void durationsBeyondLongNanosecondsShouldBeWrittenWithoutOverflow() {
    assertThat(Durations.format(Duration.ofDays(300_000))).isEqualTo("25920000000s");
    assertThat(Durations.format(Duration.ofDays(-300_000))).isEqualTo("-25920000000s");
    assertThat(Durations.format(Duration.ofDays(300_000).plusMillis(5)))
        .isEqualTo("25920000000005ms");
    assertThat(Durations.format(Duration.ofSeconds(Long.MAX_VALUE, 1_000_000)))
        .isEqualTo("PT2562047788015215H30M7.001S");
  }
}
