package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.MigratingLeaseLock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MigratingLeaseLockTest {

  private final InMemoryLeaseLock old = new InMemoryLeaseLock("old");
  private final InMemoryLeaseLock lease = new InMemoryLeaseLock("new");
  private final MigratingLeaseLock lock = new MigratingLeaseLock(old, lease);
  private final List<String> asyncCalls = new ArrayList<>();
  private final AsyncOnly oldAsync = new AsyncOnly("old", old);
  private final AsyncOnly leaseAsync = new AsyncOnly("new", lease);
  private final MigratingLeaseLock async = new MigratingLeaseLock(oldAsync, leaseAsync);

  @Test
  void createShouldWriteBothLocks() {
    LeaderRecord created = lock.create(record("a", 0, null));

    assertThat(old.get()).get().extracting(LeaderRecord::holderIdentity).isEqualTo("a");
    assertThat(lease.get()).get().extracting(LeaderRecord::holderIdentity).isEqualTo("a");
    assertThat(created.holderIdentity()).isEqualTo("a");
    assertThat(lock.get()).contains(created);
  }

  @Test
  void updateShouldWriteBothAtTheVersionsRead() {
    LeaderRecord read = lock.create(record("a", 0, null));

    LeaderRecord renewed = lock.update(record("a", 0, read.version()));

    assertThat(renewed.version()).isNotEqualTo(read.version());
    assertThat(lock.get()).contains(renewed);
  }

  @Test
  void oldElectorWritingItsLockShouldMakeAStaleVersionConflict() {
    LeaderRecord read = lock.create(record("a", 0, null));
    old.update(record("old-elector", 1, old.get().orElseThrow().version()));

    assertThatThrownBy(() -> lock.update(record("a", 0, read.version())))
        .isInstanceOf(LeaseConflictException.class);
    assertThat(lease.get()).get().extracting(LeaderRecord::holderIdentity).isEqualTo("a");
  }

  @Test
  void differentHoldersShouldReadAsUnknownWithTheLargerToken() {
    old.create(record("old-elector", 7, null));
    lease.create(record("new-elector", 3, null));

    LeaderRecord joined = lock.get().orElseThrow();

    assertThat(joined.holderIdentity()).isEqualTo(MigratingLeaseLock.UNKNOWN_LEADER);
    assertThat(joined.leaseTransitions()).isEqualTo(7);
  }

  @Test
  void oldLockAloneShouldBeReadAndTheLeaseCreatedOnTheNextWrite() {
    old.create(record("old-elector", 4, null));

    LeaderRecord read = lock.get().orElseThrow();
    assertThat(read.holderIdentity()).isEqualTo("old-elector");

    lock.update(record("a", 5, read.version()));
    assertThat(lease.get()).get().extracting(LeaderRecord::holderIdentity).isEqualTo("a");
    assertThat(old.get()).get().extracting(LeaderRecord::holderIdentity).isEqualTo("a");
  }

  @Test
  void versionNotReadFromItShouldConflict() {
    assertThatThrownBy(() -> lock.update(record("a", 0, "12")))
        .isInstanceOf(LeaseConflictException.class).hasMessageContaining("was not read from it");
  }

  @Test
  void referenceShouldBeTheLeasesAndTheDescriptionNameBoth() {
    assertThat(lock.reference()).isEqualTo(lease.reference());
    assertThat(lock.describe()).isEqualTo(lease.describe() + " (migrating from "
        + old.describe() + ")");
  }

  @Test
  void asyncCallsShouldGoThroughBothLocksAsyncCallsTheOldOneFirst() {
    LeaderRecord created = async.createAsync(record("a", 0, null)).join();
    LeaderRecord read = async.getAsync().join().orElseThrow();
    LeaderRecord renewed = async.updateAsync(record("a", 0, read.version())).join();

    assertThat(asyncCalls).containsExactly("old createAsync", "new createAsync",
        "old getAsync", "new getAsync", "old updateAsync", "new updateAsync");
    assertThat(read).isEqualTo(created);
    assertThat(lock.get()).as("the blocking read of both").contains(renewed);
  }

  @Test
  void asyncReadOfNeitherShouldBeEmptyAndOfDifferentHoldersUnknown() {
    assertThat(async.getAsync().join()).isEmpty();

    old.create(record("old-elector", 7, null));
    lease.create(record("new-elector", 3, null));

    assertThat(async.getAsync().join()).isEqualTo(lock.get()).get()
        .extracting(LeaderRecord::holderIdentity).isEqualTo(MigratingLeaseLock.UNKNOWN_LEADER);
  }

  @Test
  void asyncUpdateFromAStaleOrForeignVersionShouldFailWithAConflict() {
    LeaderRecord read = async.createAsync(record("a", 0, null)).join();
    old.update(record("old-elector", 1, old.get().orElseThrow().version()));

    assertThatThrownBy(async.updateAsync(record("a", 0, read.version()))::join)
        .hasCauseInstanceOf(LeaseConflictException.class);
    assertThatThrownBy(async.updateAsync(record("a", 0, "12"))::join)
        .hasCauseInstanceOf(LeaseConflictException.class)
        .hasMessageContaining("was not read from it");
    assertThat(lease.get()).get().extracting(LeaderRecord::holderIdentity).isEqualTo("a");
  }

  @Test
  void cancellingAnAsyncWriteShouldCancelTheOldLocksCallAndNotWriteTheLease() {
    oldAsync.holding = true;
    CompletableFuture<LeaderRecord> created = async.createAsync(record("a", 0, null));

    created.cancel(true);

    assertThat(oldAsync.held.get(0)).isCancelled();
    assertThat(asyncCalls).as("no Lease write after the cancel").containsExactly("old createAsync");
    assertThat(lease.get()).isEmpty();
  }

  @Test
  void cancellingAnAsyncWriteShouldCancelTheLeasesCallInFlight() {
    leaseAsync.holding = true;
    CompletableFuture<LeaderRecord> created = async.createAsync(record("a", 0, null));
    assertThat(asyncCalls).containsExactly("old createAsync", "new createAsync");

    created.cancel(true);

    assertThat(leaseAsync.held.get(0)).isCancelled();
  }

  private static LeaderRecord record(String holder, int transitions, String version) {
    Instant now = Instant.parse("2026-12-04T12:00:00Z");
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(Duration.ofSeconds(15))
        .acquireTime(now).renewTime(now).leaseTransitions(transitions).version(version).build();
  }

  /**
   * A lock whose blocking calls fail the test: notes its non-blocking calls, and answers them at
   * once from its store or, while holding, keeps them pending.
   */
  private final class AsyncOnly extends ForwardingLeaseLock {

    private final String name;
    private final List<CompletableFuture<?>> held = new ArrayList<>();
    private boolean holding;

    AsyncOnly(String name, LeaseLock store) {
      super(store);
      this.name = name;
    }

    @Override
    public Optional<LeaderRecord> get() {
      throw new AssertionError(name + ": a blocking get");
    }

    @Override
    public LeaderRecord create(LeaderRecord record) {
      throw new AssertionError(name + ": a blocking create");
    }

    @Override
    public LeaderRecord update(LeaderRecord record) {
      throw new AssertionError(name + ": a blocking update");
    }

    @Override
    public CompletableFuture<Optional<LeaderRecord>> getAsync() {
      return called("getAsync", () -> delegate().getAsync());
    }

    @Override
    public CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
      return called("createAsync", () -> delegate().createAsync(record));
    }

    @Override
    public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
      return called("updateAsync", () -> delegate().updateAsync(record));
    }

    private <T> CompletableFuture<T> called(String call, Supplier<CompletableFuture<T>> answer) {
      asyncCalls.add(name + " " + call);
      if (!holding) {
        return answer.get();
      }
      CompletableFuture<T> pending = new CompletableFuture<>();
      held.add(pending);
      return pending;
    }
  }
}
