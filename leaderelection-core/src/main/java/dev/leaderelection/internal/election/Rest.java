package dev.leaderelection.internal.election;

import dev.leaderelection.Ticker;

/**
 * When this candidate does not compete: for a yield's back-off, or while paused until resumed.
 * A resting candidate makes no lock call; rounds ask how long the rest still lasts. When a rest
 * begins it runs {@code onAside}, and when it ends {@code onBack} (a coordinated candidate stands
 * aside, then announces itself again); both return at once. Thread-safe.
 */
final class Rest {

  /** How long a round waits while paused before asking again (a resume asks at once). */
  static final long PAUSED_NANOS = 60_000_000_000L;

  private final Ticker ticker;
  private final Runnable onAside;
  private final Runnable onBack;
  private long untilNanos;
  private boolean resting;
  private boolean paused;

  Rest(Ticker ticker, Runnable onAside, Runnable onBack) {
    this.ticker = ticker;
    this.onAside = onAside;
    this.onBack = onBack;
  }

  /** Rests for {@code nanos} from now, unless paused (a pause lasts until resumed). */
  synchronized void forNanos(long nanos) {
    boolean wasAside = isAside();
    untilNanos = ticker.read() + nanos;
    resting = true;
    changed(wasAside);
  }

  /** Rests until {@link #end()}. */
  synchronized void untilResumed() {
    boolean wasAside = isAside();
    paused = true;
    changed(wasAside);
  }

  /** Competes again now. */
  synchronized void end() {
    boolean wasAside = isAside();
    paused = false;
    resting = false;
    changed(wasAside);
  }

  synchronized boolean isPaused() {
    return paused;
  }

  /** How long the rest still lasts; 0 when this candidate competes. */
  synchronized long remainingNanos() {
    if (paused) {
      return PAUSED_NANOS;
    }
    long left = untilNanos - ticker.read();
    if (resting && left > 0) {
      return left;
    }
    boolean wasAside = isAside();
    resting = false;
    changed(wasAside);
    return 0;
  }

  /** Runs {@code onBack} unless resting: the candidate enters the election competing. */
  synchronized void announceUnlessAside() {
    if (!isAside()) {
      onBack.run();
    }
  }

  private boolean isAside() {
    return paused || resting;
  }

  private void changed(boolean wasAside) {
    if (!wasAside && isAside()) {
      onAside.run();
    } else if (wasAside && !isAside()) {
      onBack.run();
    }
  }
}
