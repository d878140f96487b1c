package dev.leaderelection;

/**
 * Receives the transitions of one elector.
 *
 * <p>Calls arrive one at a time, in order, never on the thread that renews the lease: a slow
 * listener delays later notifications but never a renew. For each term, {@code onStartedLeading}
 * precedes {@code onStoppedLeading}, and a term that never started is never reported as stopped.
 * When the elector is closed with release, it waits (at most the renew deadline) for these calls
 * to finish before it releases the lease, so work stopped in {@code onStoppedLeading} never
 * overlaps the next leader's. Exceptions thrown by a listener are logged and otherwise ignored.
 *
 * @since 0.1.0
 */
public interface LeadershipListener {

  /** This instance became the leader for a new term. */
  default void onStartedLeading(LeaderContext context) {
  }

  /** The term that {@code context} describes ended; {@code context.isActive()} is already false. */
  default void onStoppedLeading(LeaderContext context, StepDownReason reason) {
  }

  /** A different instance (or this one) was observed holding the lease. */
  default void onNewLeader(String identity) {
  }
}
