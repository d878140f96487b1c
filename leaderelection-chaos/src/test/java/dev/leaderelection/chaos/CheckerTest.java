package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.chaos.FencedResource.Action;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker finds each kind of violation in a history that has it, and none in one without. */
class CheckerTest {

  private static final long MS = 1_000_000;
  private static final long LEASE = 6_000 * MS;

  private final History history = new History();
  private final List<Action> actions = new ArrayList<>();

  @Test
  void cleanHandOverShouldPassEveryCheck() {
    term("a", 1, 0);
    act("a", 1, 0, 100, true);
    term("b", 2, 200);
    act("b", 2, 200, 300, true);
    history.recovery(new History.Recovery("sigterm", 150, 200, 8_000 * MS));

    Checker.Verdict verdict = Checker.check(history, actions);

    assertThat(verdict.safe()).isTrue();
    assertThat(verdict.examples()).isEmpty();
    assertThat(verdict.longestLeaderlessNanos()).isEqualTo(100 * MS);
  }

  @Test
  void twoTermsActingAtOnceShouldBeAnOverlapAndAStaleAction() {
    term("a", 1, 0);
    term("b", 2, 200);
    act("a", 1, 0, 300, true);
    act("b", 2, 200, 400, true);

    Checker.Verdict verdict = Checker.check(history, actions);

    assertThat(verdict.overlaps()).isEqualTo(1);
    assertThat(verdict.staleActionsPerformed()).isGreaterThan(0);
    assertThat(verdict.safe()).isFalse();
    assertThat(verdict.examples()).anySatisfy(example ->
        assertThat(example).startsWith("overlap: a#1 acted until 100 ms after b#2"));
  }

  @Test
  void overlapShouldShowTheWindowOfActionsThatProvesIt() {
    term("a", 1, 0);
    term("b", 2, 200);
    act("a", 1, 0, 300, true);
    act("b", 2, 200, 400, true);

    String overlap = Checker.check(history, actions).examples().get(0);

    assertThat(overlap.lines().skip(1)).containsSubsequence(
        "  +0 ms b acted with token 2, accepted",
        "  +100 ms a acted with token 1, accepted");
  }

  @Test
  void overlapShouldShowTheFaultsInjectedBeforeIt() {
    history.fault(new History.Fault("yield", "a", 100 * MS));
    term("a", 1, 0);
    term("b", 2, 200);
    act("a", 1, 0, 300, true);
    act("b", 2, 200, 400, true);

    String overlap = Checker.check(history, actions).examples().get(0);

    assertThat(overlap).contains("  -100 ms yield at a");
  }

  @Test
  void lowerTokenAcceptedAfterAHigherOneShouldBeAStaleActionAccepted() {
    actions.add(new Action("b", 2, 10 * MS, 11 * MS, true));
    actions.add(new Action("a", 1, 5 * MS, 12 * MS, true));

    assertThat(Checker.check(history, actions).staleActionsAccepted()).isEqualTo(1);
  }

  @Test
  void tokenNotAboveThePreviousTermsShouldBeARegression() {
    term("a", 5, 0);
    term("b", 5, 100);

    Checker.Verdict verdict = Checker.check(history, actions);

    assertThat(verdict.tokenRegressions()).isEqualTo(1);
    assertThat(verdict.safe()).isFalse();
  }

  /**
   * token-regression-30 (ms since the run's start): candidate-3 began term 78 at 975383 and acted
   * under it at once, but its listener thread was still in the previous term's slow stop when the
   * harness froze the JVM at 975583; candidate-0.21 took the lease over with 79 at 981493; the
   * BEGIN of 78 was printed after SIGCONT at 987243. By report time 79 came before 78; by the
   * terms' own actions 78 came first.
   */
  @Test
  void termReportedLateButActingEarlierShouldNotBeARegression() {
    term("candidate-0.21", 79, 981_497);
    term("candidate-3", 78, 987_243);
    act("candidate-3", 78, 975_397, 975_547, true);
    act("candidate-0.21", 79, 981_500, 984_000, true);

    Checker.Verdict verdict = Checker.check(history, actions);

    assertThat(verdict.tokenRegressions()).isZero();
    assertThat(verdict.safe()).isTrue();
  }

  @Test
  void lowerTokenActingOnlyAfterAHigherOneBeganShouldStillBeARegression() {
    term("a", 79, 1_000);
    act("a", 79, 1_000, 1_200, true);
    term("b", 78, 2_000);
    act("b", 78, 2_000, 2_200, false);

    Checker.Verdict verdict = Checker.check(history, actions);

    assertThat(verdict.tokenRegressions()).isEqualTo(1);
    assertThat(verdict.examples()).anySatisfy(example -> assertThat(example)
        .startsWith("token regression: Term[identity=a, token=79"));
  }

  @Test
  void recoveryPastTheBoundOrNeverShouldBeMissed() {
    history.recovery(new History.Recovery("partition", 0, 9_000 * MS, 8_000 * MS));
    history.recovery(new History.Recovery("sigkill", 0, -1, 8_000 * MS));
    history.recovery(new History.Recovery("latency", 0, 7_000 * MS, 8_000 * MS));

    Checker.Verdict verdict = Checker.check(history, actions);

    assertThat(verdict.missedRecoveries()).isEqualTo(2);
    assertThat(verdict.examples()).anySatisfy(example ->
        assertThat(example).contains("missed recovery after partition"));
  }

  @Test
  void termBegunWhilePausedShouldBeUnsafeAndNamed() {
    History.Term term = new History.Term("a", 3, 0);
    history.term(term);
    history.beganWhilePaused(term);

    Checker.Verdict verdict = Checker.check(history, actions);

    assertThat(verdict.pausedBegins()).isEqualTo(1);
    assertThat(verdict.safe()).isFalse();
    assertThat(verdict.examples()).anySatisfy(example ->
        assertThat(example).contains("term begun while paused: a began token 3"));
  }

  @Test
  void pausedLeaderActingAfterSigcontShouldShowItsLag() {
    term("a", 1, 0);
    act("a", 1, 0, 100, true);
    actions.add(new Action("a", 1, 7_030 * MS, 7_031 * MS, true));
    history.pause(new History.Pause("a", 1, 100 * MS, 7_000 * MS));

    assertThat(Checker.check(history, actions).pausedLagNanos()).containsExactly(30 * MS);
  }

  @Test
  void crashTakeoverShouldCountFromTheSignalAndFromTheLastRenewalSeen() {
    term("a", 1, 0);
    act("a", 1, 0, 1_000, true);
    history.renewal(new History.Renewal("a", 900 * MS));
    history.crash(new History.Crash("a", 1_000 * MS, LEASE));
    term("b", 2, 7_000);
    act("b", 2, 7_000, 7_100, true);

    Checker.Verdict verdict = Checker.check(history, actions);

    assertThat(verdict.takeoverFromSignalNanos()).containsExactly(6_000 * MS);
    assertThat(verdict.takeoverFromLastRenewNanos()).containsExactly(6_100 * MS);
  }

  @Test
  void killedLeaderWhoseLastRenewalWasALeaseAgoShouldNotCountAsACrashTakeover() {
    term("a", 1, 0);
    act("a", 1, 0, 1_000, true);
    history.renewal(new History.Renewal("a", 900 * MS));
    history.crash(new History.Crash("a", 30_000 * MS, LEASE));
    term("b", 2, 31_000);
    act("b", 2, 31_000, 31_100, true);

    Checker.Verdict verdict = Checker.check(history, actions);

    assertThat(verdict.takeoverFromSignalNanos()).isEmpty();
    assertThat(verdict.takeoverFromLastRenewNanos()).isEmpty();
  }

  @Test
  void killedLeaderWhoseLeaseAnotherHadTakenShouldNotCountAsACrashTakeover() {
    history.renewal(new History.Renewal("a", 900 * MS));
    history.renewal(new History.Renewal("b", 1_500 * MS));
    history.crash(new History.Crash("a", 2_000 * MS, LEASE));
    term("c", 3, 9_000);
    act("c", 3, 9_000, 9_100, true);

    assertThat(Checker.check(history, actions).takeoverFromLastRenewNanos()).isEmpty();
  }

  @Test
  void killedLeaderThatHadReleasedShouldNotCountAsACrashTakeover() {
    history.renewal(new History.Renewal("a", 900 * MS));
    history.renewal(new History.Renewal("", 950 * MS));
    history.crash(new History.Crash("a", 1_000 * MS, LEASE));
    term("b", 2, 1_100);
    act("b", 2, 1_100, 1_200, true);

    assertThat(Checker.check(history, actions).takeoverFromSignalNanos()).isEmpty();
  }

  @Test
  void recoveryShouldCountFromWhenTheLeaderLetGo() {
    history.recovery(new History.Recovery("yield", 1_000 * MS, 9_500 * MS, 8_000 * MS));

    Checker.Verdict verdict = Checker.check(history, actions);

    assertThat(verdict.missedRecoveries()).isEqualTo(1);
    assertThat(verdict.examples()).anySatisfy(example ->
        assertThat(example).contains("missed recovery after yield: a leader 8500 ms after"));
  }

  @Test
  void termBegunWhilePausedShouldBeCounted() {
    History.Term term = new History.Term("a", 4, 100 * MS);
    history.term(term);
    history.beganWhilePaused(term);

    assertThat(Checker.check(history, actions).pausedBegins()).isEqualTo(1);
  }

  private void term(String identity, long token, long beginMillis) {
    history.term(new History.Term(identity, token, beginMillis * MS));
  }

  /** Actions every 50 ms from {@code fromMillis} to {@code toMillis}, arriving 1 ms later. */
  private void act(String identity, long token, long fromMillis, long toMillis,
      boolean accepted) {
    for (long at = fromMillis; at <= toMillis; at += 50) {
      actions.add(new Action(identity, token, at * MS, (at + 1) * MS, accepted));
    }
  }
}
