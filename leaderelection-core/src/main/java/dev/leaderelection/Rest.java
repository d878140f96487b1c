package dev.leaderelection;

/**
 * When this candidate does not compete: for a yield's back-off, or while paused until resumed.
 * A resting candidate makes no lock call; rounds ask how long the rest still lasts. Thread-safe.
 */
final class Rest {

  /** How long a round waits while paused before asking again (a resume asks at once). */
  static final long PAUSED_NANOS = 60_000_000_000L;

  private final Ticker ticker;
  private long untilNanos;
  private boolean resting;
  private boolean paused;

  Rest(Ticker ticker) {
    this.ticker = ticker;
  }

  /** Rests for {@code nanos} from now, unless paused (a pause lasts until resumed). */
  synchronized void forNanos(long nanos) {
    untilNanos = ticker.read() + nanos;
    resting = true;
  }

  /** Rests until {@link #end()}. */
  synchronized void untilResumed() {
    paused = true;
  }

  /** Competes again now. */
  synchronized void end() {
    paused = false;
    resting = false;
  }

  synchronized boolean isPaused() {
    return paused;
  }

  /** How long the rest still lasts; 0 when this candidate competes. */
  synchronized long remainingNanos() {
    if (paused) {
      return PAUSED_NANOS;
    }
    if (resting && untilNanos - ticker.read() > 0) {
      return untilNanos - ticker.read();
    }
    resting = false;
    return 0;
  }
}
