package dev.leaderelection.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.InMemoryLeaseLock;
import dev.leaderelection.LeaderRecord;
import dev.leaderelection.LeaseConflictException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MigratingLockTest {

  private final InMemoryLeaseLock old = new InMemoryLeaseLock("old");
  private final InMemoryLeaseLock lease = new InMemoryLeaseLock("new");
  private final MigratingLock lock = new MigratingLock(old, lease);

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

    assertThat(joined.holderIdentity()).isEqualTo(MigratingLock.UNKNOWN_LEADER);
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

  private static LeaderRecord record(String holder, int transitions, String version) {
    Instant now = Instant.parse("2026-12-04T12:00:00Z");
    return new LeaderRecord(holder, Duration.ofSeconds(15), now, now, transitions, 0, null,
        version);
  }
}
