package dev.leaderelection.spi;

import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.LeaseLockException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LeaseLock} held in this JVM's memory: for tests, and for applications that run a
 * single process. Electors that share one instance compete with each other; electors in other
 * processes do not see it.
 *
 * <p>Thread-safe. Versions are increasing decimal numbers. Watchers see every change, in order,
 * on the thread that made it.
 *
 * @since 0.1.0
 */
public final class InMemoryLeaseLock implements LeaseLock {

  private final String name;
  private final List<RecordWatcher> watchers = new CopyOnWriteArrayList<>();
  private final List<RecordWatcher> down = new CopyOnWriteArrayList<>();
  private @Nullable LeaderRecord record;
  private long lastVersion;

  /** Creates an empty lock; {@code name} appears in {@link #describe()}. */
  public InMemoryLeaseLock(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public synchronized Optional<LeaderRecord> get() {
    return Optional.ofNullable(record);
  }

  @Override
  public synchronized LeaderRecord create(LeaderRecord newRecord) {
    if (record != null) {
      throw new LeaseConflictException(describe() + " already exists");
    }
    return store(newRecord);
  }

  @Override
  public synchronized LeaderRecord update(LeaderRecord newRecord) {
    if (record == null) {
      throw new LeaseConflictException(describe() + " does not exist");
    }
    if (!Objects.equals(record.version(), newRecord.version())) {
      throw new LeaseConflictException(describe() + " is at version " + record.version()
          + ", not " + newRecord.version());
    }
    return store(newRecord);
  }

  /**
   * Deletes the record, as an administrator might; for tests.
   *
   * @since 0.2.0
   */
  public synchronized void delete() {
    record = null;
    watchers.forEach(watcher -> watcher.changed(Optional.empty()));
  }

  /** Connected at once; delivers every change, in order, on the thread that made it. */
  @Override
  public Optional<AutoCloseable> watch(RecordWatcher watcher) {
    Objects.requireNonNull(watcher, "watcher").connected();
    watchers.add(watcher);
    return Optional.of(() -> {
      watchers.remove(watcher);
      down.remove(watcher);
    });
  }

  /**
   * Takes every watch down, as a broken connection would, until reconnected; for tests.
   *
   * @since 0.2.0
   */
  public void breakWatches() {
    List<RecordWatcher> broken = List.copyOf(watchers);
    watchers.removeAll(broken);
    down.addAll(broken);
    broken.forEach(watcher -> watcher.broken(new LeaseLockException("watch broken")));
  }

  /**
   * Brings every watch that is down up again, as a lock's reconnection would; for tests.
   *
   * @since 0.2.0
   */
  public void reconnectWatches() {
    List<RecordWatcher> reconnected = List.copyOf(down);
    down.removeAll(reconnected);
    reconnected.forEach(RecordWatcher::connected);
    watchers.addAll(reconnected);
  }

  @Override
  public String describe() {
    return "in-memory lock " + name;
  }

  @Override
  public LockReference reference() {
    return new LockReference("in-memory", null, name);
  }

  private LeaderRecord store(LeaderRecord newRecord) {
    LeaderRecord stored = newRecord.withVersion(Long.toString(++lastVersion));
    record = stored;
    watchers.forEach(watcher -> watcher.changed(Optional.of(stored)));
    return stored;
  }
}
