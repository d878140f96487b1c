package dev.leaderelection;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * One term of leadership, handed to {@link LeadershipListener#onStartedLeading}.
 *
 * <p>Leader-only work checks {@link #isActive()} or reacts to {@link #ended()}, and guards
 * external writes with the {@link #fencingToken()}. Thread-safe.
 *
 * @since 0.1.0
 */
public interface LeaderContext {

  /** The identity of this instance. */
  String identity();

  /**
   * A number that is strictly larger for every new term of this election than for any earlier
   * term, including terms of the same identity. Stores that remember the highest token they saw
   * can reject writes from a deposed leader.
   */
  long fencingToken();

  /** The wall-clock time at which this term began. */
  Instant acquiredAt();

  /**
   * Whether this term is still active. Turns {@code false} no later than the renew deadline after
   * the last successful renew, even while a call to the lock is hung.
   */
  boolean isActive();

  /**
   * Completes, with the reason, when this term ends. Dependent actions may run on an election
   * thread and must not block.
   */
  CompletionStage<StepDownReason> ended();
}
