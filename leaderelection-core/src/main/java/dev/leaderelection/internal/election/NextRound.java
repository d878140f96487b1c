package dev.leaderelection.internal.election;

/**
 * What a round asks of the {@link RoundScheduler}: run the next round after a delay, or schedule
 * nothing because a hand-over in progress schedules it when it is done.
 *
 * @param delayNanos how long until the next round; never negative
 * @param scheduledByHandOver whether a hand-over schedules the next round instead
 */
record NextRound(long delayNanos, boolean scheduledByHandOver) {

  /** The next round after {@code delayNanos}; a negative delay means now. */
  static NextRound in(long delayNanos) {
    return new NextRound(Math.max(0, delayNanos), false);
  }

  /** No round now: the hand-over in progress schedules the next one. */
  static NextRound afterHandOver() {
    return new NextRound(0, true);
  }
}
