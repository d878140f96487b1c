package dev.leaderelection;

import java.util.Optional;

/**
 * Receives the changes of a watched {@link LeaseLock} record. Calls for one watch arrive one at a
 * time and in the order the store applied the changes; they must return quickly.
 *
 * @since 0.1.0
 */
public interface RecordWatcher {

  /** The record changed; empty when it was deleted. */
  void changed(Optional<LeaderRecord> record);

  /** The watch ended and delivers nothing more; the elector polls until it watches again. */
  void broken(LeaseLockException cause);
}
