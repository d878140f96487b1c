package dev.leaderelection.spi;

import dev.leaderelection.LeaseLockException;
import java.util.Optional;

/**
 * Receives the changes of a watched {@link LeaseLock} record, and whether the watch is up. Calls
 * for one watch arrive one at a time and in the order the store applied the changes; they must
 * return quickly.
 *
 * @since 0.1.0
 */
public interface RecordWatcher {

  /**
   * The watch is up, at first or again after {@link #broken}: every change from now on is
   * delivered (a lock may begin with the current record).
   */
  default void connected() {
  }

  /** The record changed; empty when it was deleted. */
  void changed(Optional<LeaderRecord> record);

  /**
   * The watch is down, or could not be opened: changes may be missed until the next
   * {@link #connected()}. The lock reconnects by itself until the watch is closed; the elector
   * polls meanwhile.
   */
  void broken(LeaseLockException cause);
}
