package dev.leaderelection.group;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A shard's lock as its elector sees it, which also tells the group when the holder it reads or
 * its watch delivers differs from the last one seen: a release (a record with no holder) notifies
 * no listener, yet members under their share must learn of it at once. Renewals, which change
 * no holder, tell nothing, so a group at rest makes no decisions. Adds no call to the lock.
 */
final class ObservedLock extends ForwardingLeaseLock {

  private final Runnable onHolderChanged;
  private volatile @Nullable String lastHolder;

  ObservedLock(LeaseLock delegate, Runnable onHolderChanged) {
    super(delegate);
    this.onHolderChanged = onHolderChanged;
  }

  @Override
  public CompletableFuture<Optional<LeaderRecord>> getAsync() {
    CompletableFuture<Optional<LeaderRecord>> read = super.getAsync();
    read.thenAccept(this::seen); // the lock's own future is returned: cancellable
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
        seen(record);
      }

      @Override
      public void broken(LeaseLockException cause) {
        watcher.broken(cause);
      }
    });
  }

  private void seen(Optional<LeaderRecord> record) {
    String holder = record.map(LeaderRecord::holderIdentity).orElse("");
    if (!Objects.equals(holder, lastHolder)) {
      lastHolder = holder;
      onHolderChanged.run();
    }
  }
}
