package dev.leaderelection;

/**
 * A source of monotonic nanoseconds, used for every expiry and deadline decision.
 *
 * <p>Values are meaningful only as differences between two reads of the same ticker; they are
 * never compared with wall-clock time or with times written by other processes. Implementations
 * must be thread-safe and never go backwards.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Ticker {

  /** Returns the current value of this ticker, in nanoseconds. */
  long read();

  /** The ticker backed by {@link System#nanoTime()}, used in production. */
  static Ticker system() {
    return System::nanoTime;
  }
}
