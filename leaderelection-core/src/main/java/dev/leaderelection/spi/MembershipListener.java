package dev.leaderelection.spi;

import dev.leaderelection.LeaseLockException;
import java.util.Set;

/**
 * Receives the live members of a group from a {@link GroupMembership} watch. Calls for one watch
 * arrive one at a time and in order; they must return quickly.
 *
 * @since 0.2.0
 */
public interface MembershipListener {

  /**
   * The live members now: every identity whose announcement is current, this replica's own
   * included once it has joined. An immutable set.
   */
  void membersChanged(Set<String> members);

  /**
   * The watch is down: changes may be missed until the next {@link #membersChanged}, which
   * follows when it is back. The last set delivered stays the best knowledge meanwhile.
   */
  default void broken(LeaseLockException cause) {
  }
}
