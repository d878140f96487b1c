package dev.leaderelection.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void exactDurationsShouldBeWrittenAsUsersWriteThem() {
    assertThat(Durations.format(Duration.ofSeconds(15))).isEqualTo("15s");
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.format(Duration.ofMillis(-1500))).isEqualTo("-1500ms");
    assertThat(Durations.format(Duration.ofNanos(1))).isEqualTo("PT0.000000001S");
  }

  @Test
  void durationsOfCenturiesShouldBeWrittenWithoutOverflowing() {
    assertThat(Durations.format(Duration.ofDays(300_000))).isEqualTo("25920000000s");
    assertThat(Durations.format(Duration.ofDays(-300_000))).isEqualTo("-25920000000s");
    assertThat(Durations.format(Duration.ofDays(300_000).plusMillis(1)))
        .isEqualTo("25920000000001ms");
    assertThat(Durations.format(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)))
        .isEqualTo("PT2562047788015215H30M7.999999999S");
    assertThat(Durations.format(Duration.ofSeconds(Long.MIN_VALUE)))
        .isEqualTo("PT-2562047788015215H-30M-8S");
  }
}
