package dev.leaderelection;

import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A lock whose blocking calls are its delegate's {@code *Async} calls, awaited: the lock
 * contract run through it holds for the non-blocking calls the elector makes. For tests, in the
 * core's and the lock modules'.
 */
public final class AsyncAsBlocking extends ForwardingLeaseLock {

  public AsyncAsBlocking(LeaseLock delegate) {
    super(delegate);
  }

  @Override
  public Optional<LeaderRecord> get() {
    return await(delegate().getAsync());
  }

  @Override
  public LeaderRecord create(LeaderRecord record) {
    return await(delegate().createAsync(record));
  }

  @Override
  public LeaderRecord update(LeaderRecord record) {
    return await(delegate().updateAsync(record));
  }

  /** The answer, or the exception the blocking call would have thrown. */
  private static <T> T await(CompletableFuture<T> call) {
    try {
      return call.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }
}
