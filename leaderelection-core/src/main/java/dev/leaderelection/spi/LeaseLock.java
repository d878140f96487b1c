package dev.leaderelection.spi;

import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.LeaseLockException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A store for one {@link LeaderRecord} with optimistic concurrency: the service provider
 * interface behind every election.
 *
 * <p>Every write names the version it was based on; a write based on a stale version, or a create
 * when a record exists, fails with {@link LeaseConflictException}. Every other failure is a
 * {@link LeaseLockException}. Calls block; implementations must bound them with a timeout shorter
 * than the election's renew deadline. Implementations must be thread-safe.
 *
 * <p>The elector makes its rounds' calls through the {@code *Async} methods. By default they call
 * the blocking method on the elector's lock-call thread and return its answer completed; a lock
 * that can wait for its store without holding a thread (the Kubernetes locks do) overrides all
 * three, so a thousand elections need no more threads than one.
 *
 * <p>Versions are opaque, except that when two versions are both whole numbers (as Kubernetes
 * resourceVersions and etcd revisions are) the larger one is the newer state
 * ({@link LeaderRecord#isNewerThan}): the elector then ignores a read older than a state it
 * already saw.
 *
 * @since 0.1.0
 */
public interface LeaseLock {

  /**
   * Reads the current record.
   *
   * @return the record with its version, or empty when no record exists (not an error)
   * @throws LeaseLockException when the store cannot be read
   */
  Optional<LeaderRecord> get();

  /**
   * Creates the record.
   *
   * @param record the record to store; its version is ignored
   * @return the stored record, carrying its new version
   * @throws LeaseConflictException when a record already exists
   * @throws LeaseLockException when the store cannot be written
   */
  LeaderRecord create(LeaderRecord record);

  /**
   * Replaces the record, provided the stored version still equals {@code record.version()}.
   *
   * @param record the record to store, carrying the version it was based on
   * @return the stored record, carrying its new version
   * @throws LeaseConflictException when the stored version differs or the record is gone
   * @throws LeaseLockException when the store cannot be written
   */
  LeaderRecord update(LeaderRecord record);

  /**
   * Reads the current record without holding the calling thread while the store answers.
   *
   * <p>The future completes as {@link #get()} returns or throws, within the same timeout, on any
   * thread (the elector goes on on its own). Cancelling it abandons the call and, where the store
   * allows, stops it. By default, calls {@link #get()} on the calling thread.
   *
   * @since 0.2.0
   */
  default CompletableFuture<Optional<LeaderRecord>> getAsync() {
    return answeredNow(() -> get());
  }

  /**
   * Creates the record without holding the calling thread: {@link #create} as a future, under
   * the contract of {@link #getAsync()}. By default, calls {@link #create} on the calling thread.
   *
   * @since 0.2.0
   */
  default CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
    return answeredNow(() -> create(record));
  }

  /**
   * Replaces the record without holding the calling thread: {@link #update} as a future, under
   * the contract of {@link #getAsync()}. By default, calls {@link #update} on the calling thread.
   *
   * @since 0.2.0
   */
  default CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
    return answeredNow(() -> update(record));
  }

  /** The answer of a blocking call made now, as a completed (or failed) future. */
  private static <T> CompletableFuture<T> answeredNow(Supplier<T> call) {
    try {
      return CompletableFuture.completedFuture(call.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Keeps a watch on the record, if this lock can watch, until the returned handle is closed.
   * The lock keeps the watch up by itself: it reports each (re)connection to
   * {@link RecordWatcher#connected()}, every change to {@link RecordWatcher#changed}, and every
   * failure, the first connection's included, to {@link RecordWatcher#broken}, then reconnects
   * with backoff. Watching only makes an election faster and cheaper: electors still read before
   * they act, and poll while the watch is down. Returns at once; connecting happens elsewhere.
   *
   * @return a handle that stops the watch, or empty when this lock cannot watch
   */
  default Optional<AutoCloseable> watch(RecordWatcher watcher) {
    return Optional.empty();
  }

  /** A short description for logs and health details, such as {@code Lease default/my-app}. */
  String describe();

  /**
   * What this lock is, for operators and the Actuator endpoint. By default its class's simple
   * name as the kind and {@link #describe()} as the name; locks override it.
   *
   * @since 0.2.0
   */
  default LockReference reference() {
    return new LockReference(getClass().getSimpleName(), null, describe());
  }
}
