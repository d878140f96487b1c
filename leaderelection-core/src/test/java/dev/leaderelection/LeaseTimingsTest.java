package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.leaderelection.InvalidTimingsException.Rule;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LeaseTimingsTest {

  static Stream<Arguments> invalidTimings() {
    return Stream.of(
        invalid(null, "10s", "2s", "LeaseTimings.leaseDuration is null but must be set"),
        invalid("15s", null, "2s", "LeaseTimings.renewDeadline is null but must be set"),
        invalid("15s", "10s", null, "LeaseTimings.retryPeriod is null but must be set"),
        invalid("15s", "10s", "0s", "LeaseTimings.retryPeriod is 0s but must be greater than zero"),
        invalid("15s", "10s", "-2s",
            "LeaseTimings.retryPeriod is -2s but must be greater than zero"),
        invalid("10s", "10s", "2s",
            "LeaseTimings.leaseDuration is 10s but must be greater than renewDeadline (10s)"),
        invalid("10s", "12s", "2s",
            "LeaseTimings.leaseDuration is 10s but must be greater than renewDeadline (12s)"),
        invalid("-15s", "10s", "2s",
            "LeaseTimings.leaseDuration is -15s but must be greater than renewDeadline (10s)"),
        invalid("15s", "2400ms", "2s",
            "LeaseTimings.renewDeadline is 2400ms but must be greater than 1.2 × retryPeriod "
                + "(2400ms)"),
        invalid("15s", "1s", "2s",
            "LeaseTimings.renewDeadline is 1s but must be greater than 1.2 × retryPeriod "
                + "(2400ms)"),
        invalid("15s", "-10s", "2s",
            "LeaseTimings.renewDeadline is -10s but must be greater than 1.2 × retryPeriod "
                + "(2400ms)"),
        invalid("1500ms", "1s", "200ms",
            "LeaseTimings.leaseDuration is 1500ms but must be a whole number of seconds "
                + "(a Lease stores leaseDurationSeconds as an integer)"),
        invalid("3000000000s", "10s", "2s",
            "LeaseTimings.leaseDuration is 3000000000s but must be at most 2147483647 seconds"));
  }

  @ParameterizedTest(name = "{3}")
  @MethodSource("invalidTimings")
  void invalidTimingsShouldBeRejectedNamingFieldValueAndRule(Duration leaseDuration,
      Duration renewDeadline, Duration retryPeriod, String message) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LeaseTimings.of(leaseDuration, renewDeadline, retryPeriod))
        .withMessage(message);
  }

  @Test
  void brokenComparisonShouldCarryItsTypedRuleAndBound() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LeaseTimings.of(Duration.ofSeconds(15), Duration.ofSeconds(1),
            Duration.ofSeconds(2)))
        .isInstanceOfSatisfying(InvalidTimingsException.class, e -> {
          assertThat(e.field()).isEqualTo("renewDeadline");
          assertThat(e.value()).hasSeconds(1);
          assertThat(e.rule()).isEqualTo(Rule.NOT_ABOVE_JITTERED_RETRY_PERIOD);
          assertThat(e.rule().comparedField()).isEqualTo("retryPeriod");
          assertThat(e.bound()).hasMillis(2400);
          assertThat(e.rule().describe(e.bound(), field -> "<" + field + ">"))
              .isEqualTo("must be greater than 1.2 × <retryPeriod> (2400ms)");
        });
  }

  @Test
  void missingFieldShouldCarryTheMissingRuleAndNoBound() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LeaseTimings.of(null, Duration.ofSeconds(10), Duration.ofSeconds(2)))
        .isInstanceOfSatisfying(InvalidTimingsException.class, e -> {
          assertThat(e.rule()).isEqualTo(Rule.MISSING);
          assertThat(e.rule().comparedField()).isNull();
          assertThat(e.bound()).isNull();
        });
  }

  @Test
  void retryPeriodOfCenturiesShouldBeRefusedAsTooLongInsteadOfOverflowing() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LeaseTimings.of(Duration.ofSeconds(15), Duration.ofSeconds(10),
            Duration.ofDays(110_000)))
        .isInstanceOfSatisfying(InvalidTimingsException.class, e -> {
          assertThat(e.field()).isEqualTo("retryPeriod");
          assertThat(e.rule()).isEqualTo(InvalidTimingsException.Rule.TOO_LONG);
        })
        .withMessage("LeaseTimings.retryPeriod is 9504000000s but must be at most 2147483647 "
            + "seconds");
  }

  @Test
  void leaseDurationOfCenturiesShouldBeRefusedWithAMessageInsteadOfOverflowing() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LeaseTimings.of(Duration.ofDays(300_000), Duration.ofSeconds(10),
            Duration.ofSeconds(2)))
        .withMessage("LeaseTimings.leaseDuration is 25920000000s but must be at most "
            + "2147483647 seconds");
  }

  @Test
  void defaultsShouldMatchClientGo() {
    assertThat(LeaseTimings.DEFAULTS).isEqualTo(LeaseTimings.of(
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)));
  }

  @Test
  void tightestValidTimingsShouldBeAccepted() {
    assertThat(LeaseTimings.of(Duration.ofSeconds(1), Duration.ofMillis(241),
        Duration.ofMillis(200)).renewDeadline()).hasMillis(241);
  }

  private static Arguments invalid(String lease, String deadline, String retry, String message) {
    return Arguments.of(parse(lease), parse(deadline), parse(retry), message);
  }

  private static Duration parse(String text) {
    if (text == null) {
      return null;
    }
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
  }
}
