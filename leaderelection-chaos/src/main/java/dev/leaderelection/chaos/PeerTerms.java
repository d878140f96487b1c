package dev.leaderelection.chaos;

import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * The terms of a peer's elector, which has no fencing token: a term's token is the lock's
 * transition count read when it starts leading (a negative number, unique to this candidate,
 * when that read fails). The elector leads between {@link #began} and {@link #ended}, as its
 * users' code believes. Thread-safe.
 */
final class PeerTerms {

  private static final long NOT_LEADING = Long.MIN_VALUE;

  private final ChaosCandidate.Transitions transitions;
  private final Callable<Integer> readTransitions;
  private long token = NOT_LEADING;
  private long unknownTerms;

  PeerTerms(ChaosCandidate.Transitions transitions, Callable<Integer> readTransitions) {
    this.transitions = transitions;
    this.readTransitions = readTransitions;
  }

  /** The elector began leading; {@code stillLeading} is false when its term already ended. */
  synchronized void began(boolean stillLeading) {
    long began;
    try {
      began = readTransitions.call();
    } catch (Exception e) {
      began = -(++unknownTerms);
    }
    if (stillLeading) {
      token = began;
      transitions.began(began, System.nanoTime(), false); // as reported, after the read
    }
  }

  /** The elector stopped leading; nothing when it did not lead. */
  synchronized void ended() {
    if (token != NOT_LEADING) {
      long ended = token;
      token = NOT_LEADING;
      transitions.ended(ended, "STOPPED");
    }
  }

  synchronized OptionalLong leadingToken() {
    return token == NOT_LEADING ? OptionalLong.empty() : OptionalLong.of(token);
  }
}
