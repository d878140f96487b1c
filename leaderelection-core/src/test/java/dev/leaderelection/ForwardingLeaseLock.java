package dev.leaderelection;

import java.util.Optional;

/** A lock that passes every call to another; tests override what they observe or change. */
public abstract class ForwardingLeaseLock implements LeaseLock {

  private final LeaseLock delegate;

  protected ForwardingLeaseLock(LeaseLock delegate) {
    this.delegate = delegate;
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
