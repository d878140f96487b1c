package dev.leaderelection.spring;

/** This instance began a term as leader; {@link #fencingToken()} identifies the term.
 *
 * @since 0.1.0
 */
public final class LeadershipAcquiredEvent extends LeadershipEvent {

  /** Creates the event; published by the starter. */
  public LeadershipAcquiredEvent(Object source, String election, String identity,
      long fencingToken) {
    super(source, election, identity, identity, fencingToken);
  }
}
