package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rounds that wait long for a lock-call thread are reported, at most once a minute. */
class QueueDelayLogTest {

  private static final Duration RETRY = ElectionHarness.TIMINGS.retryPeriod();
  private static final Duration QUARTER_DEADLINE =
      ElectionHarness.TIMINGS.renewDeadline().dividedBy(4);
  private static final Duration NANO = Duration.ofNanos(1);

  private final ElectionHarness harness = new ElectionHarness();
  @RegisterExtension
  final ElectorLog log = ElectorLog.capture();

  @Test
  void roundWaitingAQuarterOfTheRenewDeadlineForAThreadShouldWarnOnce() {
    harness.started("a");

    renewAfterWaiting(QUARTER_DEADLINE);
    renewAfterWaiting(QUARTER_DEADLINE);

    assertThat(warnings()).singleElement().asString()
        .contains("waited 2500 ms for a lock-call thread", "Give the electors more lock-call "
            + "threads");
  }

  @Test
  void roundWaitingLessShouldNotWarn() {
    harness.started("a");

    renewAfterWaiting(QUARTER_DEADLINE.minus(NANO));

    assertThat(warnings()).isEmpty();
  }

  @Test
  void slowRoundsShouldWarnAgainAfterAMinute() {
    harness.started("a");
    renewAfterWaiting(QUARTER_DEADLINE);

    for (int i = 0; i < 20; i++) {
      renewAfterWaiting(QUARTER_DEADLINE);
    }

    assertThat(warnings()).hasSize(2);
  }

  /** The next renew becomes due, then waits {@code wait} for a thread before it runs. */
  private void renewAfterWaiting(Duration wait) {
    harness.executor.hold();
    harness.advance(RETRY);
    assertThat(harness.executor.heldTasks()).as("the renew waiting for a thread").isEqualTo(1);
    harness.ticker.advance(wait);
    harness.executor.release();
    harness.scheduler.runDue();
  }

  private List<String> warnings() {
    return log.at(Level.WARN);
  }
}
