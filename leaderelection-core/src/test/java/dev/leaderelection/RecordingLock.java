package dev.leaderelection;

import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An {@link InMemoryLeaseLock} that records every call (as {@code get}, {@code create a},
 * {@code update a}, {@code update a preferring c}; a release shows as {@code update ''}) and can be
 * told to fail. Thread-safe.
 */
public final class RecordingLock implements LeaseLock {

  private final InMemoryLeaseLock store = new InMemoryLeaseLock("test");
  private final List<String> calls = new ArrayList<>();
  private @Nullable Supplier<LeaseLockException> getFailure;
  private @Nullable Supplier<LeaseLockException> writeFailure;
  private boolean watchable;
  private boolean watchRefused;
  private @Nullable List<Runnable> heldEvents;

  /** Writes the record directly, as another process would; not recorded as a call. */
  public synchronized LeaderRecord putExternally(LeaderRecord record) {
    Optional<LeaderRecord> current = store.get();
    return current.isEmpty() ? store.create(record)
        : store.update(record.withVersion(current.get().version()));
  }

  /** Lets electors watch the record (recorded as {@code watch}); off by default. */
  private boolean loseNextAnswer;

  synchronized void enableWatch() {
    watchable = true;
  }

  /** Makes every later watch fail to connect, as an unreachable API would. */
  synchronized void refuseWatches() {
    watchRefused = true;
  }

  /** Takes every watch down, as a dropped connection would, until {@link #reconnectWatches()}. */
  void breakWatches() {
    store.breakWatches();
  }

  /** Brings the watches that are down up again, as the lock's own reconnection would. */
  void reconnectWatches() {
    store.reconnectWatches();
  }

  @Override
  public synchronized Optional<AutoCloseable> watch(RecordWatcher watcher) {
    if (!watchable) {
      return Optional.empty();
    }
    calls.add("watch");
    if (watchRefused) {
      watcher.broken(new LeaseLockException("watch refused"));
      return Optional.of(() -> { });
    }
    return store.watch(new RecordWatcher() {
      @Override
      public void connected() {
        watcher.connected();
      }

      @Override
      public void changed(Optional<LeaderRecord> record) {
        synchronized (RecordingLock.this) {
          if (heldEvents != null) {
            heldEvents.add(() -> watcher.changed(record));
            return;
          }
        }
        watcher.changed(record);
      }

      @Override
      public void broken(LeaseLockException cause) {
        watcher.broken(cause);
      }
    });
  }

  /** Holds back the changes watches would deliver, as a lagging watch would. */
  synchronized void holdWatchEvents() {
    heldEvents = new ArrayList<>();
  }

  /** Delivers the changes held back, in order, and lets later ones through at once. */
  void deliverHeldWatchEvents() {
    List<Runnable> held;
    synchronized (this) {
      held = heldEvents;
      heldEvents = null;
    }
    if (held != null) {
      held.forEach(Runnable::run);
    }
  }

  /** Deletes the record, as an administrator or a GitOps prune would. */
  synchronized void delete() {
    store.delete();
  }

  public synchronized LeaderRecord current() {
    return store.get().orElseThrow();
  }

  public synchronized void failGets(@Nullable Supplier<LeaseLockException> failure) {
    getFailure = failure;
  }

  synchronized void failWrites(@Nullable Supplier<LeaseLockException> failure) {
    writeFailure = failure;
  }

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** Returns the calls made since the last call to this method. */
  public synchronized List<String> takeCalls() {
    List<String> taken = List.copyOf(calls);
    calls.clear();
    return taken;
  }

  /** The next get throws {@code failure} undeclared, as Kotlin libraries (OkHttp) may. */
  synchronized void throwUndeclaredOnNextGet(Exception failure) {
    undeclared = failure;
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> RuntimeException sneaky(Exception failure) throws E {
    throw (E) failure;
  }

  /** The next get answers {@code stale}, as a read overtaken by a watch event would. */
  synchronized void answerNextGetWith(LeaderRecord stale) {
    staleAnswer = stale;
  }

  @Override
  public synchronized Optional<LeaderRecord> get() {
    calls.add("get");
    if (getFailure != null) {
      throw getFailure.get();
    }
    if (undeclared != null) {
      Exception failure = undeclared;
      undeclared = null;
      throw RecordingLock.<RuntimeException>sneaky(failure);
    }
    if (staleAnswer != null) {
      LeaderRecord stale = staleAnswer;
      staleAnswer = null;
      return Optional.of(stale);
    }
    return store.get();
  }

  private @Nullable LeaderRecord staleAnswer;
  private @Nullable Exception undeclared;

  @Override
  public synchronized LeaderRecord create(LeaderRecord record) {
    calls.add("create " + describe(record));
    if (writeFailure != null) {
      throw writeFailure.get();
    }
    return store.create(record);
  }

  /** The next update is stored, but its answer is lost: the caller gets a failure. */
  synchronized void loseNextAnswer() {
    loseNextAnswer = true;
  }

  @Override
  public synchronized LeaderRecord update(LeaderRecord record) {
    calls.add("update " + describe(record));
    if (writeFailure != null) {
      throw writeFailure.get();
    }
    LeaderRecord stored = store.update(record);
    if (loseNextAnswer) {
      loseNextAnswer = false;
      throw new LeaseLockException("the answer to the update was lost");
    }
    return stored;
  }

  @Override
  public String describe() {
    return "recording lock";
  }

  private static String describe(LeaderRecord record) {
    String holder = record.isHeld() ? record.holderIdentity() : "''";
    return record.preferredHolder() == null ? holder
        : holder + " preferring " + record.preferredHolder().identity();
  }
}
