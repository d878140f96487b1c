package dev.leaderelection.spring;

import dev.leaderelection.StepDownReason;

/**
 * This instance's term as owner of a shard ended: the shard's work must stop when this event
 * arrives. A shard handed off to balance the group is released only after listeners of this
 * event return (at most the renew deadline).
 *
 * @since 0.2.0
 */
public final class ShardLostEvent extends ShardEvent {

  private final StepDownReason reason;

  /** Creates the event; published by the starter. */
  public ShardLostEvent(Object source, String group, int shard, String identity,
      long fencingToken, StepDownReason reason) {
    super(source, group, shard, identity, fencingToken);
    this.reason = reason;
  }

  /**
   * Why the term ended: {@code YIELDED} when handed off to balance the group, {@code RELEASED}
   * on shutdown, or as an election's term ends (renew deadline passed, stolen).
   */
  public StepDownReason reason() {
    return reason;
  }

  @Override
  public String toString() {
    return super.toString().replace("]", ", reason=" + reason + "]");
  }
}
