package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.watch.WatchRegistry;
import dev.leaderelection.kubernetes.watch.WatchSubscription;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
import dev.leaderelection.spi.RecordWatcher;
import io.kubernetes.client.common.KubernetesObject;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LeaseLock} on one Kubernetes object: 404 on read means no record, 409 (or 404 on
 * replace) means a lost race, every other failure is a {@link KubernetesApiException}.
 *
 * <p>Updates replace the object the record's version was read from, so labels, annotations and
 * data written by others are kept; its resourceVersion and uid make the replace conditional. The
 * lock keeps the newest object it has seen (by {@link LeaderRecord#isNewerThan}), whether a read,
 * a write's answer or a watch event brought it, so a watch event older than a write's answer
 * never replaces it. Thread-safe.
 */
final class ObjectLock<T extends KubernetesObject> implements LeaseLock {

  private final ObjectReference object;
  private final ObjectApi<T> api;
  private final RecordCodec<T> codec;
  private final WatchRegistry watches;
  private @Nullable Seen<T> lastSeen;

  /** An object this lock saw, and the record it holds. */
  private record Seen<T>(T object, LeaderRecord record) {
  }

  /** @param watches the watches this lock shares with the others of its {@link KubernetesLocks} */
  ObjectLock(ObjectApi<T> api, WatchRegistry watches) {
    this.object = api.object();
    this.api = api;
    this.codec = api.kind().codec().apply(object);
    this.watches = watches;
  }

  @Override
  public Optional<LeaderRecord> get() {
    try {
      return Optional.of(remember(api.read()));
    } catch (KubernetesApiException e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public LeaderRecord create(LeaderRecord record) {
    try {
      return remember(api.create(codec.encode(record, null)));
    } catch (KubernetesApiException e) {
      if (e.statusCode() == 409) {
        throw new LeaseConflictException(describe() + " was created by someone else");
      }
      throw e;
    }
  }

  @Override
  public LeaderRecord update(LeaderRecord record) {
    T base = seenAt(record.version());
    if (base == null) {
      base = current(record.version());
    }
    try {
      return remember(api.replace(codec.encode(record, base)));
    } catch (KubernetesApiException e) {
      if (e.statusCode() == 409) {
        throw new LeaseConflictException(describe() + " changed since version "
            + record.version());
      }
      if (e.statusCode() == 404) {
        throw new LeaseConflictException(describe() + " was deleted");
      }
      throw e;
    }
  }

  /** {@link #get()} on the client's dispatcher; cancelling the future cancels the call. */
  @Override
  public CompletableFuture<Optional<LeaderRecord>> getAsync() {
    return api.readAsync(object -> Optional.of(remember(object)), failure -> {
      if (failure.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure;
    });
  }

  /** {@link #create} on the client's dispatcher; cancelling the future cancels the call. */
  @Override
  public CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
    return api.createAsync(codec.encode(record, null), this::remember, failure -> {
      throw failure.statusCode() == 409
          ? new LeaseConflictException(describe() + " was created by someone else") : failure;
    });
  }

  /**
   * {@link #update} on the client's dispatcher, from the object last seen at the record's
   * version; when the newest object seen is at another version, the object is read first, as
   * {@link #update} does, and replaced once read, both without holding a thread and both within
   * one request timeout. Cancelling the future cancels whichever call is in flight.
   */
  @Override
  public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
    T base = seenAt(record.version());
    return base != null ? replaceAsync(record, base, null) : readThenReplace(record);
  }

  /** The read and then the replace of {@link #updateAsync}, as one call. */
  private CompletableFuture<LeaderRecord> readThenReplace(LeaderRecord record) {
    ApiCalls.Deadline deadline = api.deadline();
    CompletableFuture<LeaderRecord> updated = new CompletableFuture<>();
    CompletableFuture<T> read = api.readAsync(current -> atVersion(current, record.version()),
        failure -> {
          throw failure.statusCode() == 404
              ? new LeaseConflictException(describe() + " does not exist") : failure;
        }, deadline);
    AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>(read);
    updated.whenComplete((ignored, failure) -> {
      if (updated.isCancelled()) {
        inFlight.get().cancel(false);
      }
    });
    read.whenComplete((base, failure) -> {
      if (failure != null) {
        updated.completeExceptionally(failure);
        return;
      }
      CompletableFuture<LeaderRecord> replace;
      try {
        replace = replaceAsync(record, base, deadline);
      } catch (RuntimeException e) {
        updated.completeExceptionally(e);
        return;
      }
      inFlight.set(replace);
      if (updated.isCancelled()) {
        replace.cancel(false);
      }
      replace.whenComplete((stored, replaceFailure) -> {
        if (replaceFailure != null) {
          updated.completeExceptionally(replaceFailure);
        } else {
          updated.complete(stored);
        }
      });
    });
    return updated;
  }

  private CompletableFuture<LeaderRecord> replaceAsync(LeaderRecord record, T base,
      ApiCalls.@Nullable Deadline deadline) {
    return api.replaceAsync(codec.encode(record, base), this::remember, failure -> {
      throw failure.statusCode() == 409 ? new LeaseConflictException(describe()
          + " changed since version " + record.version())
          : failure.statusCode() == 404 ? new LeaseConflictException(describe() + " was deleted")
          : failure;
    }, deadline);
  }

  /**
   * Watches the object, through a watch shared with the other locks of its KubernetesLocks where
   * possible (see {@link WatchRegistry}), and delivers every change; each one also becomes the
   * base of the next update, so a leader's renew after a change it saw on the watch needs no
   * read.
   */
  @Override
  public Optional<AutoCloseable> watch(RecordWatcher watcher) {
    return Optional.of(watches.subscribe(api, new WatchSubscription.Subscriber<T>() {
      @Override
      public void connected() {
        watcher.connected();
      }

      @Override
      public void changed(@Nullable T changed) {
        watcher.changed(changed == null ? Optional.empty() : Optional.of(remember(changed)));
      }

      @Override
      public void broken(LeaseLockException cause) {
        watcher.broken(cause);
      }
    }));
  }

  @Override
  public String describe() {
    return api.kind().kind() + " " + object.namespace() + "/" + object.name();
  }

  @Override
  public LockReference reference() {
    return new LockReference(api.kind().kind(), object.namespace(), object.name());
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * The object at {@code version}, read because this lock has not seen it. Replacing an object
   * read first, with its uid, never creates a deleted object again (a PUT would, for Leases).
   */
  private T current(@Nullable String version) {
    T current;
    try {
      current = api.read();
    } catch (KubernetesApiException e) {
      if (e.statusCode() == 404) {
        throw new LeaseConflictException(describe() + " does not exist");
      }
      throw e;
    }
    return atVersion(current, version);
  }

  /** {@code current}, read to be replaced, when it is at {@code version}; else a conflict. */
  private T atVersion(T current, @Nullable String version) {
    if (!Objects.equals(current.getMetadata().getResourceVersion(), version)) {
      throw new LeaseConflictException(describe() + " is at version "
          + current.getMetadata().getResourceVersion() + ", not " + version);
    }
    return current;
  }

  private LeaderRecord remember(T seen) {
    LeaderRecord record;
    try {
      record = codec.decode(seen);
    } catch (LeaseLockException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new LeaseLockException(describe() + " holds a record that is not valid: "
          + e.getMessage() + "; it is not overwritten", e);
    }
    synchronized (this) {
      if (lastSeen == null || !lastSeen.record().isNewerThan(record)) {
        lastSeen = new Seen<>(seen, record);
      }
    }
    return record;
  }

  private synchronized @Nullable T seenAt(@Nullable String version) {
    Seen<T> seen = lastSeen;
    return seen != null && Objects.equals(seen.object().getMetadata().getResourceVersion(),
        version) ? seen.object() : null;
  }
}
