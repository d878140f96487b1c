package dev.leaderelection;

/** Why a term of leadership ended.
 *
 * @since 0.1.0
 */
public enum StepDownReason {

  /** The elector was closed and released the lease for a quick handover. */
  RELEASED,

  /** The elector was closed without releasing; others take over once the lease expires. */
  SHUTDOWN,

  /** No renew succeeded within the renew deadline (for example, the API server was unreachable). */
  RENEW_DEADLINE_EXCEEDED,

  /** A candidate of higher priority asked for the lease, and this leader handed it over. */
  PREEMPTED,

  /** Someone else wrote the lock (another holder, or a cleared holder) while this instance led. */
  STOLEN,

  /**
   * This instance gave leadership up on request ({@link LeaderElector#yield(java.time.Duration)})
   * and released the lease; it competes again after its back-off.
   *
   * @since 0.2.0
   */
  YIELDED
}
