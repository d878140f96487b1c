package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.leaderelection.LeaderRecord.PreferredHolder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Two processes that share one identity are told apart from this elector's own writes. */
class SharedIdentityCheckTest {

  private static final Duration RETRY = ElectionHarness.TIMINGS.retryPeriod();

  private final ElectionHarness harness = new ElectionHarness();
  private final Logger logger = (Logger) LoggerFactory.getLogger(LeaderElector.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(appender);
  }

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
    harness.lock.putExternally(new LeaderRecord(held.holderIdentity(), held.leaseDuration(),
        held.acquireTime(), held.renewTime(), held.leaseTransitions(), held.holderPriority(),
        new PreferredHolder("b", 0), held.version()));

    harness.advance(RETRY);
    harness.advance(RETRY);

    assertThat(a.isLeader()).isTrue();
    assertThat(errors()).isEmpty();
  }

  private List<String> errors() {
    return appender.list.stream().filter(event -> event.getLevel() == Level.ERROR)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }
}
