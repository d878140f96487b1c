package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two processes that share one identity are told apart from this elector's own writes. */
class SharedIdentityCheckTest {

  private static final Duration RETRY = ElectionHarness.TIMINGS.retryPeriod();

  private final ElectionHarness harness = new ElectionHarness();
  @RegisterExtension
  final ElectorLog log = ElectorLog.capture();

  @Test
  void anotherProcessRenewingUnderThisIdentityShouldBeReportedAtError() {
    harness.started("a");
    harness.advance(Duration.ofSeconds(1));
    harness.renewExternally("a");

    harness.advance(RETRY);

    assertThat(errors()).singleElement().asString()
        .contains("renewed by another process under this instance's identity 'a'",
            "Give every instance a unique identity");
  }

  @Test
  void ownWriteWhoseAnswerWasLostShouldNotBeReported() {
    LeaderElector a = harness.started("a");
    harness.advance(Duration.ofSeconds(1));
    harness.lock.loseNextAnswer();

    harness.advance(RETRY);
    harness.advance(RETRY);
    harness.advance(RETRY);

    assertThat(a.isLeader()).isTrue();
    assertThat(harness.lock.calls()).contains("get");
    assertThat(errors()).isEmpty();
  }

  @Test
  void anotherCandidateAskingToBePreferredShouldNotBeReported() {
    LeaderElector a = harness.started("a");
    LeaderRecord held = harness.lock.current();
    harness.lock.putExternally(
        held.toBuilder().preferredHolder(new PreferredHolder("b", 0)).build());

    harness.advance(RETRY);
    harness.advance(RETRY);

    assertThat(a.isLeader()).isTrue();
    assertThat(errors()).isEmpty();
  }

  private List<String> errors() {
    return log.at(Level.ERROR);
  }
}
