package dev.leaderelection.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LeaseLock} passes, as JUnit 5 tests a lock's own test class inherits:
 * absent is not an error, creates and updates are guarded by versions (a lost race is a
 * {@link LeaseConflictException}), every field of a record survives the round trip, concurrent
 * writers based on one version see exactly one succeed, and a lock that watches reports its
 * connection and every change in order. Subclasses supply a fresh, empty lock per test:
 *
 * <pre>{@code
 * class RedisLeaseLockContractTest extends LeaseLockContract {
 *   protected LeaseLock newLock() { return new RedisLeaseLock(redis, "contract-" + UUID.randomUUID()); }
 *   protected LeaseLock newLockFor(LeaseLock lock) { return new RedisLeaseLock(redis, ((RedisLeaseLock) lock).key()); }
 *   protected void deleteRecord(LeaseLock lock) { redis.del(((RedisLeaseLock) lock).key()); }
 * }
 * }</pre>
 *
 * <p>It keeps no state of its own between tests, so subclasses may use either test-instance
 * lifecycle.
 *
 * @since 0.2.0
 */
public abstract class LeaseLockContract {

  private static final Instant ACQUIRED = Instant.parse("2026-11-22T10:00:00.123456Z");
  private static final Instant RENEWED = Instant.parse("2026-11-22T10:00:05.654321Z");

  /** A lock for a record that does not exist yet, unique to the calling test. */
  protected abstract LeaseLock newLock();

  /** Another lock instance on the same record as {@code lock}, as another process has. */
  protected abstract LeaseLock newLockFor(LeaseLock lock);

  /** Deletes the record behind {@code lock}, as an administrator would. */
  protected abstract void deleteRecord(LeaseLock lock);

  @Test
  void watchShouldReportItsConnectionThenEveryChangeInOrder() throws Exception {
    LeaseLock lock = newLock();
    LeaderRecord created = lock.create(record("a", 0, null));
    List<String> seen = new CopyOnWriteArrayList<>();
    Optional<AutoCloseable> watch = lock.watch(new RecordWatcher() {
      @Override
      public void connected() {
        seen.add("connected");
      }

      @Override
      public void changed(Optional<LeaderRecord> record) {
        seen.add(record.map(LeaderRecord::holderIdentity).orElse("deleted"));
      }

      @Override
      public void broken(LeaseLockException cause) {
        seen.add("broken: " + cause.getMessage());
      }
    });
    if (watch.isEmpty()) {
      return; // a lock that cannot watch has no watch to honour
    }
    try (AutoCloseable handle = watch.get()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("connected"));
      newLockFor(lock).update(record("b", 1, null).withVersion(created.version()));
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("b"));
      deleteRecord(lock);
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("deleted"));
    }

    assertThat(seen).first().isEqualTo("connected");
    assertThat(seen).containsSubsequence("connected", "b", "deleted")
        .noneMatch(event -> event.startsWith("broken"));
  }

  @Test
  void missingRecordShouldReadAsEmpty() {
    assertThat(newLock().get()).isEmpty();
  }

  @Test
  void createdRecordShouldReadBackWithEveryField() {
    LeaseLock lock = newLock();
    LeaderRecord written = record("a", 3, new PreferredHolder("c", 7));

    LeaderRecord created = lock.create(written);

    assertThat(created.version()).isNotBlank();
    assertThat(lock.get()).contains(written.withVersion(created.version()));
    assertThat(created).isEqualTo(written.withVersion(created.version()));
  }

  @Test
  void createShouldConflictWhenTheRecordExists() {
    LeaseLock lock = newLock();
    lock.create(record("a", 0, null));

    assertThatExceptionOfType(LeaseConflictException.class)
        .isThrownBy(() -> lock.create(record("b", 0, null)));
    assertThat(lock.get()).get().extracting(LeaderRecord::holderIdentity).isEqualTo("a");
  }

  @Test
  void updateFromTheLatestVersionShouldStoreANewVersion() {
    LeaseLock lock = newLock();
    LeaderRecord created = lock.create(record("a", 0, null));

    LeaderRecord updated = lock.update(record("b", 1, null).withVersion(created.version()));

    assertThat(updated.version()).isNotEqualTo(created.version());
    assertThat(lock.get()).contains(updated);
    assertThat(updated.holderIdentity()).isEqualTo("b");
    assertThat(updated.leaseTransitions()).isEqualTo(1);
  }

  @Test
  void updateFromAStaleVersionShouldConflictAndChangeNothing() {
    LeaseLock lock = newLock();
    LeaderRecord created = lock.create(record("a", 0, null));
    LeaderRecord current = lock.update(record("a", 1, null).withVersion(created.version()));

    assertThatExceptionOfType(LeaseConflictException.class)
        .isThrownBy(() -> lock.update(record("b", 1, null).withVersion(created.version())));
    assertThat(lock.get()).contains(current);
  }

  @Test
  void updateOfAMissingRecordShouldConflictAndCreateNothing() {
    LeaseLock lock = newLock();

    assertThatExceptionOfType(LeaseConflictException.class)
        .isThrownBy(() -> lock.update(record("a", 0, null).withVersion("1")));
    assertThat(lock.get()).isEmpty();
  }

  @Test
  void updateOfARecordDeletedAndCreatedAgainShouldConflict() {
    LeaseLock lock = newLock();
    LeaderRecord first = lock.create(record("a", 0, null));
    deleteRecord(lock);
    LeaderRecord second = newLockFor(lock).create(record("b", 0, null));

    assertThatExceptionOfType(LeaseConflictException.class)
        .isThrownBy(() -> lock.update(record("a", 1, null).withVersion(first.version())));
    assertThat(lock.get()).contains(second);
  }

  @Test
  void releasedRecordWithoutTimesShouldRoundTrip() {
    LeaseLock lock = newLock();
    LeaderRecord released = LeaderRecord.builder().holderIdentity("")
        .leaseDuration(Duration.ofSeconds(1)).leaseTransitions(4).build();

    LeaderRecord created = lock.create(released);

    assertThat(lock.get()).contains(released.withVersion(created.version()));
    assertThat(created.isHeld()).isFalse();
  }

  @Test
  void concurrentUpdatesFromOneVersionShouldLetExactlyOneWin() throws Exception {
    LeaseLock lock = newLock();
    LeaderRecord created = lock.create(record("a", 0, null));
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> writers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        LeaderRecord claim = record("writer-" + i, 1, null).withVersion(created.version());
        writers.add(() -> {
          try {
            lock.update(claim);
            return true;
          } catch (LeaseConflictException e) {
            return false;
          }
        });
      }
      long winners = 0;
      for (Future<Boolean> result : threads.invokeAll(writers)) {
        winners += result.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      threads.shutdown();
    }
  }

  @Test
  void descriptionShouldNameTheLock() {
    assertThat(newLock().describe()).isNotBlank();
  }

  private static LeaderRecord record(String holder, int transitions, PreferredHolder preferred) {
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(Duration.ofSeconds(15))
        .acquireTime(ACQUIRED).renewTime(RENEWED).leaseTransitions(transitions).holderPriority(2)
        .preferredHolder(preferred).build();
  }
}
