package dev.leaderelection.simulation;

import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.util.Optional;

/** The server's blocking view of a {@link SimStore}: what a call does when it arrives. */
final class StoreLock implements LeaseLock {

  private final SimStore store;

  StoreLock(SimStore store) {
    this.store = store;
  }

  @Override
  public Optional<LeaderRecord> get() {
    return store.get();
  }

  @Override
  public LeaderRecord create(LeaderRecord record) {
    return store.create(record);
  }

  @Override
  public LeaderRecord update(LeaderRecord record) {
    return store.update(record);
  }

  @Override
  public String describe() {
    return store.name();
  }
}
