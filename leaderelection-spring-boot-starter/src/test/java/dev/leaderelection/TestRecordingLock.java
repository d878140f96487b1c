package dev.leaderelection;

import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.RecordWatcher;
import java.util.List;
import java.util.Optional;

/**
 * The core's {@link RecordingLock} (package-private in its test jar), opened to the starter's
 * tests: an in-memory lock that records its calls and can be told to fail.
 */
public final class TestRecordingLock extends ForwardingLeaseLock {

  private final RecordingLock delegate;
  private volatile LeaseLockException watchRefusal;

  public TestRecordingLock() {
    this(new RecordingLock());
  }

  private TestRecordingLock(RecordingLock delegate) {
    super(delegate);
    this.delegate = delegate;
  }

  /** Every later watch never connects and reports {@code refusal}, as a 403 on watch would. */
  public void refuseWatches(LeaseLockException refusal) {
    watchRefusal = refusal;
  }

  /** Every later {@code get} fails with {@code failure}; {@code null} heals it. */
  public void failGets(LeaseLockException failure) {
    delegate.failGets(failure == null ? null : () -> failure);
  }

  /** Writes the record as another process would; not recorded as a call. */
  public LeaderRecord putExternally(LeaderRecord record) {
    return delegate.putExternally(record);
  }

  public List<String> calls() {
    return delegate.calls();
  }

  @Override
  public Optional<AutoCloseable> watch(RecordWatcher watcher) {
    LeaseLockException refusal = watchRefusal;
    if (refusal != null) {
      watcher.broken(refusal);
      return Optional.of(() -> { });
    }
    return super.watch(watcher);
  }
}
