package dev.leaderelection.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A request rate is a figure only over a long enough window and when it is not negative. */
class RequestRateTest {

  private static final Duration QUICK = Duration.ofSeconds(10);
  private static final Duration FULL = Duration.ofSeconds(30);

  @Test
  void countOverAFullWindowShouldBeAFigure() {
    RequestRate rate = RequestRate.of(15, FULL);

    assertThat(rate.trusted()).isTrue();
    assertThat(rate.perMinute()).isEqualTo(30.0);
    assertThat(rate.text()).isEqualTo("30.0");
  }

  @Test
  void negativeDifferenceShouldBeMarkedNotAFigure() {
    RequestRate leader = RequestRate.of(2, QUICK).minus(RequestRate.of(3, QUICK));

    assertThat(leader.trusted()).isFalse();
    assertThat(leader.text()).isEqualTo("not a figure (-6.0 over a 10 s window)");
  }

  @Test
  void followersThatSentNothingShouldBeAFigureOfZeroDespiteRounding() {
    RequestRate leader = RequestRate.of(15.000000000000002, Duration.ofSeconds(30));
    RequestRate all = RequestRate.of(15, Duration.ofSeconds(30));

    RequestRate followers = all.minus(leader).dividedBy(2);

    assertThat(followers.trusted()).isTrue();
    assertThat(followers.text()).isEqualTo("0.0");
  }

  @Test
  void countOverAQuickWindowShouldBeMarkedNotAFigure() {
    RequestRate rate = RequestRate.of(5, QUICK);

    assertThat(rate.trusted()).isFalse();
    assertThat(rate.text()).isEqualTo("not a figure (30.0 over a 10 s window)");
  }

  @Test
  void differenceShouldKeepTheShorterWindow() {
    RequestRate difference = RequestRate.of(30, FULL).minus(RequestRate.of(1, QUICK));

    assertThat(difference.window()).isEqualTo(QUICK);
    assertThat(difference.trusted()).isFalse();
  }

  @Test
  void leaderAndTwoFollowersShouldAddUpOverTheShorterWindow() {
    BenchmarkRunner.Traffic traffic = new BenchmarkRunner.Traffic(RequestRate.of(15, FULL),
        RequestRate.of(1, FULL).dividedBy(2));

    assertThat(traffic.total().perMinute()).isEqualTo(32.0);
    assertThat(traffic.total().trusted()).isTrue();
  }

  @Test
  void emptyWindowShouldNotBeAFigure() {
    assertThat(RequestRate.of(0, Duration.ZERO).trusted()).isFalse();
  }
}
