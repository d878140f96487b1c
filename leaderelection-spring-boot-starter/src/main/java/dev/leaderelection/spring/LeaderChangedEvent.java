package dev.leaderelection.spring;

/**
 * A new leader (this instance or another) was observed holding the lease; {@link #leader()} names
 * it and {@link #fencingToken()} is the token of its term as last read.
 *
 * @since 0.1.0
 */
public final class LeaderChangedEvent extends LeadershipEvent {

  /** Creates the event; published by the starter. */
  public LeaderChangedEvent(Object source, String election, String identity, String leader,
      long fencingToken) {
    super(source, election, identity, leader, fencingToken);
  }
}
