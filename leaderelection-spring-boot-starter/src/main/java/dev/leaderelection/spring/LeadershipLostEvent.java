package dev.leaderelection.spring;

import dev.leaderelection.StepDownReason;
import org.jspecify.annotations.Nullable;

/**
 * This instance's term as leader ended. Leader-only work must stop when this event arrives: the
 * lease is released only after listeners of this event return (at most the renew deadline).
 *
 * @since 0.1.0
 */
public final class LeadershipLostEvent extends LeadershipEvent {

  private final StepDownReason reason;

  /** Creates the event; published by the starter. */
  public LeadershipLostEvent(Object source, String election, String identity,
      @Nullable String leader, long fencingToken, StepDownReason reason) {
    super(source, election, identity, leader, fencingToken);
    this.reason = reason;
  }

  /** Why the term ended: released, shut down, renew deadline passed, preempted or stolen. */
  public StepDownReason reason() {
    return reason;
  }

  @Override
  public String toString() {
    return super.toString().replace("]", ", reason=" + reason + "]");
  }
}
