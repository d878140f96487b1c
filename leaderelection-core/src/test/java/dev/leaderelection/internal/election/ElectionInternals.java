package dev.leaderelection.internal.election;

/**
 * Test-only bridge for the elector's tests in {@code dev.leaderelection}: what they need to know
 * of the package-private election internals, without widening them.
 */
public final class ElectionInternals {

  /** {@link RoundScheduler#ROUND_LIMIT_DEADLINES}. */
  public static final int ROUND_LIMIT_DEADLINES = RoundScheduler.ROUND_LIMIT_DEADLINES;

  private ElectionInternals() {
  }
}
