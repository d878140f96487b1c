package dev.leaderelection.spi;

import dev.leaderelection.LeaseLockException;
import java.util.Optional;

/**
 * This instance's candidacy with a coordinator that chooses the leader, such as the Kubernetes
 * API server's coordinated leader election: the service provider interface behind
 * {@link dev.leaderelection.LeaderElector.Builder#coordinatedBy(Candidacy)}.
 *
 * <p>An elector with a candidacy never takes its lock on its own judgement. It announces the
 * candidacy when it starts, begins a term only when the record names its identity (the
 * coordinator wrote it) and prefers nobody else, renews like any leader, and steps down at once
 * when the record's preferred holder names another candidate. On close it withdraws the candidacy
 * before it releases the lock, so the coordinator does not choose it again. Implementations must
 * be thread-safe.
 *
 * @since 0.2.0
 */
public interface Candidacy {

  /**
   * Announces this candidate and keeps the announcement current (answering the coordinator's
   * checks) until {@link #standAside()} or {@link #withdraw()}; announces it again after
   * {@link #standAside()}, and does nothing after {@link #withdraw()}. Returns at once; failures
   * are retried in the background and reported by {@link #failure()}.
   */
  void announce();

  /**
   * Stops being chosen until {@link #announce()} is called again: the elector is paused, or rests
   * after a yield, and would not lead if named, so the coordinator must choose another. Withdraws
   * the announcement without giving the candidacy up. Returns at once.
   */
  void standAside();

  /**
   * Withdraws the candidacy, blocking at most the implementation's request timeout. Idempotent;
   * a failure is logged, not thrown.
   */
  void withdraw();

  /** The last failure to announce or keep the candidacy current, while it keeps failing. */
  Optional<LeaseLockException> failure();

  /** A short description for logs and health details. */
  String describe();

  /**
   * Whether the coordinator's preference for the candidate {@code identity}, which it names
   * over this instance while it names this instance and lets the lease expire, is stale: that
   * candidate departed (its announcement is gone, or it has not answered the coordinator's check
   * within the coordinator's window), or it does not outrank this instance by the coordinator's
   * own rules (this instance outranks it, or they tie), so the coordinator may keep finding this
   * instance best and never name it. A coordinator that keeps such a naming unchanged is stalled:
   * Kubernetes 1.36 for ever on a departed or outranked candidate (until
   * kubernetes/kubernetes#138066 for a departed one), and on a tie for as long as its random
   * tie-break, drawn again every 5 s, keeps choosing this instance. The elector then releases the
   * naming (writes no holder, guarded by the version it read), so the coordinator chooses again;
   * it never leads on such a naming. Asked on the election's threads about once a retry period
   * while that lasts: answers at once from what the implementation last learned and refreshes it
   * in the background. Default: never stale.
   */
  default boolean isPreferenceStale(String identity) {
    return false;
  }

  /**
   * Why the coordinator is stalled on this candidacy's election, for health details: such as the
   * departed preferred candidate it waits on. Empty while it is not. Default: empty.
   */
  default Optional<String> stall() {
    return Optional.empty();
  }
}
