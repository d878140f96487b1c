package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.FakeTicker;
import dev.leaderelection.HoldingExecutor;
import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.ManualScheduler;
import dev.leaderelection.RecordingLock;
import dev.leaderelection.StepDownReason;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A BEGIN carries the time the elector began the term, not the time its listener ran: the chaos
 * run of token-regression-30, on a fake ticker and a manual scheduler. A leader whose leader work
 * takes long to stop ({@code slow-stop}) is paused and resumed at once ({@code pause-flap}): it
 * begins a new term on its own record at once, but that term's {@code onStartedLeading} waits
 * behind the previous term's {@code onStoppedLeading}, and then the JVM is frozen
 * ({@code pause}, SIGSTOP) for 11.86 s before it runs.
 */
class TermBeginTimeTest {

  private static final Duration FROZEN = Duration.ofMillis(11_860);

  private final FakeTicker ticker = new FakeTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final HoldingExecutor callbacks = new HoldingExecutor(scheduler);
  private final Clock clock = ticker.clock();
  /** What the candidate would print: token, then the BEGIN's nanos. */
  private final List<long[]> begins = new ArrayList<>();
  private final List<Long> printedAt = new ArrayList<>();

  @Test
  void termBegunBeforeItsListenerRanShouldBeReportedAtItsBeginning() {
    LeaderElector elector = LeaderElector.builder(new RecordingLock(), "candidate-3")
        .timings(LeaseTimings.of(Duration.ofSeconds(6), Duration.ofSeconds(4),
            Duration.ofSeconds(1)))
        .ticker(ticker).clock(clock).scheduler(scheduler).executor(scheduler)
        .callbackExecutor(callbacks)
        .listener(new LeadershipListener() {
          @Override
          public void onStartedLeading(LeaderContext context) {
            begins.add(new long[] {context.fencingToken(),
                OwnElector.begunNanos(context, clock, ticker.read())});
            printedAt.add(ticker.read());
          }

          @Override
          public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
          }
        })
        .build();
    elector.start();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(elector.isLeader()).isTrue();

    callbacks.hold(); // the leader work of the first term takes long to stop
    elector.pause();
    elector.resume();
    scheduler.runDue();
    long secondTermBegan = ticker.read();
    assertThat(elector.currentTerm()).get().extracting(LeaderContext::fencingToken)
        .as("resumed: a new term on its own record").isEqualTo(1L);

    ticker.advance(FROZEN); // SIGSTOP before its listener ran, SIGCONT 11.86 s later
    callbacks.release();
    scheduler.runDue();

    // (after the freeze the overdue rounds run too: term 1 is past its renew deadline)
    assertThat(begins).hasSizeGreaterThanOrEqualTo(2);
    assertThat(begins.get(1)[0]).isEqualTo(1);
    assertThat(printedAt.get(1)).as("the listener ran after the freeze")
        .isEqualTo(secondTermBegan + FROZEN.toNanos());
    assertThat(begins.get(1)[1]).as("but the BEGIN is when the term began")
        .isEqualTo(secondTermBegan);
    elector.close();
  }

  @Test
  void listenerRunningAtOnceShouldReportNow() {
    LeaderContext term = new LeaderContext() {
      @Override
      public String identity() {
        return "a";
      }

      @Override
      public long fencingToken() {
        return 1;
      }

      @Override
      public java.time.Instant acquiredAt() {
        return clock.instant().plusMillis(3); // the wall clock stepped back meanwhile
      }

      @Override
      public boolean isActive() {
        return true;
      }

      @Override
      public java.util.concurrent.CompletionStage<StepDownReason> ended() {
        return new java.util.concurrent.CompletableFuture<>();
      }
    };

    assertThat(OwnElector.begunNanos(term, clock, 42)).isEqualTo(42);
  }
}
