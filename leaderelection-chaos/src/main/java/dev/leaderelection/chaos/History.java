package dev.leaderelection.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one chaos run recorded, on the host's monotonic clock ({@code System.nanoTime()},
 * CLOCK_MONOTONIC on Linux, comparable across processes): the terms candidates reported, the
 * recoveries measured after each batch of faults, the lease renewals the harness saw, and the
 * pauses and crashes of leaders. (The actions are the {@link FencedResource}'s.) Thread-safe.
 */
final class History {

  /** A term a candidate reported beginning ({@code BEGIN}). */
  record Term(String identity, long token, long beginNanos) {
  }

  /** After faults cleared: when some candidate acted as leader again; -1 when none did in time. */
  record Recovery(String after, long clearedNanos, long leaderNanos, long boundNanos) {

    boolean missed() {
      return leaderNanos < 0 || leaderNanos - clearedNanos > boundNanos;
    }
  }

  /** A renewal of the Lease by {@code holder}, as the harness first saw it. */
  record Renewal(String holder, long seenNanos) {
  }

  /** A leader stopped (SIGSTOP) and continued (SIGCONT). */
  record Pause(String identity, long token, long stoppedNanos, long continuedNanos) {
  }

  /** A leader killed with SIGKILL. */
  record Crash(String identity, long killedNanos) {
  }

  private final List<Term> terms = new ArrayList<>();
  private final List<Recovery> recoveries = new ArrayList<>();
  private final List<Renewal> renewals = new ArrayList<>();
  private final List<Pause> pauses = new ArrayList<>();
  private final List<Crash> crashes = new ArrayList<>();

  synchronized void term(Term term) {
    terms.add(term);
  }

  synchronized void recovery(Recovery recovery) {
    recoveries.add(recovery);
  }

  synchronized void renewal(Renewal renewal) {
    renewals.add(renewal);
  }

  synchronized void pause(Pause pause) {
    pauses.add(pause);
  }

  synchronized void crash(Crash crash) {
    crashes.add(crash);
  }

  synchronized List<Term> terms() {
    return List.copyOf(terms);
  }

  synchronized List<Recovery> recoveries() {
    return List.copyOf(recoveries);
  }

  synchronized List<Renewal> renewals() {
    return List.copyOf(renewals);
  }

  synchronized List<Pause> pauses() {
    return List.copyOf(pauses);
  }

  synchronized List<Crash> crashes() {
    return List.copyOf(crashes);
  }
}
