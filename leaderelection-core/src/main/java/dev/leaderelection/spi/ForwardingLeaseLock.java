package dev.leaderelection.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A lock that passes every call to another lock, its delegate: the blocking and the non-blocking
 * calls, the watch, the description and the reference. A lock that observes or changes some calls
 * (counts them, times them, checks what they return) extends it and overrides just those; every
 * call it does not override reaches the delegate unchanged.
 *
 * <p>The elector makes its calls through the {@code *Async} methods, so a subclass that observes
 * calls overrides those as well as the blocking ones.
 *
 * <p>As thread-safe as its delegate; subclasses must keep it so.
 *
 * @since 0.2.0
 */
public abstract class ForwardingLeaseLock implements LeaseLock {

  private final LeaseLock delegate;

  /** A lock passing every call to {@code delegate}. */
  protected ForwardingLeaseLock(LeaseLock delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The lock every call goes to. */
  protected final LeaseLock delegate() {
    return delegate;
  }

  @Override
  public Optional<LeaderRecord> get() {
    return delegate.get();
  }

  @Override
  public LeaderRecord create(LeaderRecord record) {
    return delegate.create(record);
  }

  @Override
  public LeaderRecord update(LeaderRecord record) {
    return delegate.update(record);
  }

  @Override
  public CompletableFuture<Optional<LeaderRecord>> getAsync() {
    return delegate.getAsync();
  }

  @Override
  public CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
    return delegate.createAsync(record);
  }

  @Override
  public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
    return delegate.updateAsync(record);
  }

  @Override
  public Optional<AutoCloseable> watch(RecordWatcher watcher) {
    return delegate.watch(watcher);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public LockReference reference() {
    return delegate.reference();
  }
}
