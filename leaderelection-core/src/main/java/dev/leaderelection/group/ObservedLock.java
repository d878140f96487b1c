package dev.leaderelection.group;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A shard's lock as its elector sees it, which also tells the group after every change the
 * elector's watch delivers and every read: a release (a record with no holder) notifies no
 * listener, yet members under their share must learn of it at once. Adds no call to the lock.
 */
final class ObservedLock extends ForwardingLeaseLock {

  private final Runnable onSeen;

  ObservedLock(LeaseLock delegate, Runnable onSeen) {
    super(delegate);
    this.onSeen = onSeen;
  }

  @Override
  public CompletableFuture<Optional<LeaderRecord>> getAsync() {
    CompletableFuture<Optional<LeaderRecord>> read = super.getAsync();
    read.whenComplete((record, failure) -> onSeen.run()); // the lock's own future: cancellable
    return read;
  }

  @Override
  public Optional<AutoCloseable> watch(RecordWatcher watcher) {
    return super.watch(new RecordWatcher() {
      @Override
      public void connected() {
        watcher.connected();
      }

      @Override
      public void changed(Optional<LeaderRecord> record) {
        watcher.changed(record);
        onSeen.run();
      }

      @Override
      public void broken(LeaseLockException cause) {
        watcher.broken(cause);
      }
    });
  }
}
