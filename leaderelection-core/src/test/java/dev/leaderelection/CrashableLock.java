package dev.leaderelection;

import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A lock whose process died, or was cut off: after {@link #crash()} every call fails and its
 * watch goes silent, as a dead or partitioned process hears and sends nothing. For tests.
 */
public final class CrashableLock extends ForwardingLeaseLock {

  private volatile boolean crashed;

  public CrashableLock(LeaseLock delegate) {
    super(delegate);
  }

  /** From now on every call fails and the watch tells nothing. */
  public void crash() {
    crashed = true;
  }

  public boolean crashed() {
    return crashed;
  }

  @Override
  public Optional<LeaderRecord> get() {
    checkAlive();
    return super.get();
  }

  @Override
  public LeaderRecord create(LeaderRecord record) {
    checkAlive();
    return super.create(record);
  }

  @Override
  public LeaderRecord update(LeaderRecord record) {
    checkAlive();
    return super.update(record);
  }

  @Override
  public CompletableFuture<Optional<LeaderRecord>> getAsync() {
    return crashed ? dead() : super.getAsync();
  }

  @Override
  public CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
    return crashed ? dead() : super.createAsync(record);
  }

  @Override
  public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
    return crashed ? dead() : super.updateAsync(record);
  }

  /** Watches as the store does, until the crash: a dead process hears nothing. */
  @Override
  public Optional<AutoCloseable> watch(RecordWatcher watcher) {
    checkAlive();
    return super.watch(new RecordWatcher() {
      @Override
      public void changed(Optional<LeaderRecord> record) {
        if (!crashed) {
          watcher.changed(record);
        }
      }

      @Override
      public void broken(LeaseLockException cause) {
        if (!crashed) {
          watcher.broken(cause);
        }
      }
    });
  }

  private void checkAlive() {
    if (crashed) {
      throw new LeaseLockException("this process crashed");
    }
  }

  /** A non-blocking call of a dead process: it fails as the blocking call does. */
  private static <T> CompletableFuture<T> dead() {
    return CompletableFuture.failedFuture(new LeaseLockException("this process crashed"));
  }
}
