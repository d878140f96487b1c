package dev.leaderelection.simulation;

import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The server side of one lock: a linearizable store of one versioned record, versions being
 * increasing whole numbers as resourceVersions are. Every change is reported, as it is applied, to
 * the watch streams. It can be down (every call fails) and, to test the simulator itself, broken
 * (it accepts updates based on stale versions). Foreign writers change it directly.
 */
final class SimStore {

  private final String name;
  private final List<Consumer<Optional<LeaderRecord>>> streams = new ArrayList<>();
  private final Runnable onHistoryReset;
  private @Nullable LeaderRecord record;
  private long lastVersion;
  private boolean down;
  private boolean acceptsStaleUpdates;

  /** @param onHistoryReset runs when a foreign writer deletes or recreates the record */
  SimStore(String name, Runnable onHistoryReset) {
    this.name = name;
    this.onHistoryReset = onHistoryReset;
  }

  String name() {
    return name;
  }

  @Nullable LeaderRecord record() {
    return record;
  }

  boolean down() {
    return down;
  }

  void setDown(boolean down) {
    this.down = down;
  }

  /** Breaks optimistic concurrency: updates are accepted whatever version they were based on. */
  void acceptStaleUpdates() {
    acceptsStaleUpdates = true;
  }

  void addStream(Consumer<Optional<LeaderRecord>> stream) {
    streams.add(stream);
  }

  void removeStream(Consumer<Optional<LeaderRecord>> stream) {
    streams.remove(stream);
  }

  // ---- the API

  Optional<LeaderRecord> get() {
    available();
    return Optional.ofNullable(record);
  }

  LeaderRecord create(LeaderRecord newRecord) {
    available();
    if (record != null) {
      throw new LeaseConflictException(name + " already exists");
    }
    return store(newRecord);
  }

  LeaderRecord update(LeaderRecord newRecord) {
    available();
    if (record == null) {
      throw new LeaseConflictException(name + " does not exist");
    }
    if (!acceptsStaleUpdates && !Objects.equals(record.version(), newRecord.version())) {
      throw new LeaseConflictException(name + " is at version " + record.version() + ", not "
          + newRecord.version());
    }
    return store(newRecord);
  }

  // ---- foreign writers, and the coordinated-election controller

  /** Another holder (not a simulated elector) takes the record, counting a transition. */
  void takeBy(String holder, Duration leaseDuration, Instant now) {
    int transitions = record == null ? 0 : record.leaseTransitions() + 1;
    store(LeaderRecord.builder().holderIdentity(holder).leaseDuration(leaseDuration)
        .acquireTime(now).renewTime(now).leaseTransitions(transitions).build());
  }

  /** An operator deletes the record. */
  void delete() {
    record = null;
    onHistoryReset.run();
    publish(Optional.empty());
  }

  /** A tool recreates the record without a holder and with its transitions reset. */
  void recreateFree(Instant now) {
    record = null;
    onHistoryReset.run();
    store(LeaderRecord.builder().holderIdentity("").leaseDuration(Duration.ofSeconds(1))
        .acquireTime(now).renewTime(now).build());
  }

  /** A metadata-only edit (a label, say): a new version of the same record. */
  void touch() {
    if (record != null) {
      store(record);
    }
  }

  /** Writes {@code newRecord} unconditionally (the controller's writes are atomic with reads). */
  LeaderRecord store(LeaderRecord newRecord) {
    LeaderRecord stored = newRecord.withVersion(Long.toString(++lastVersion));
    record = stored;
    publish(Optional.of(stored));
    return stored;
  }

  /** Reports a change to the streams open now (a stream may close as it hears of it). */
  @SuppressWarnings("unchecked")
  private void publish(Optional<LeaderRecord> change) {
    for (Consumer<Optional<LeaderRecord>> stream : streams.toArray(new Consumer[0])) {
      stream.accept(change);
    }
  }

  private void available() {
    if (down) {
      throw new LeaseLockException(name + " is unavailable (503)");
    }
  }

  @Override
  public String toString() {
    return name + "@" + lastVersion + "=" + record;
  }
}
