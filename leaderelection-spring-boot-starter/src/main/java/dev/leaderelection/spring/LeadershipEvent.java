package dev.leaderelection.spring;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

/**
 * A change in an election, published as a Spring application event, never on the thread that
 * renews the lease. Events of one election arrive in order.
 *
 * @since 0.1.0
 */
public abstract sealed class LeadershipEvent extends ApplicationEvent
    permits LeadershipAcquiredEvent, LeadershipLostEvent, LeaderChangedEvent {

  private final String election;
  private final String identity;
  private final @Nullable String leader;
  private final long fencingToken;

  LeadershipEvent(Object source, String election, String identity, @Nullable String leader,
      long fencingToken) {
    super(source);
    this.election = election;
    this.identity = identity;
    this.leader = leader;
    this.fencingToken = fencingToken;
  }

  /** The election's name: {@code default}, or its name under {@code leader-election.elections}. */
  public String election() {
    return election;
  }

  /** This instance's identity. */
  public String identity() {
    return identity;
  }

  /** The leader observed when the event was created, if any. */
  public Optional<String> leader() {
    return Optional.ofNullable(leader);
  }

  /**
   * The fencing token of the term this event is about: strictly larger for every new term of the
   * election.
   */
  public long fencingToken() {
    return fencingToken;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[election=" + election + ", identity=" + identity
        + ", leader=" + leader + ", fencingToken=" + fencingToken + "]";
  }
}
