package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaderRecord;
import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.LeaseLock;
import dev.leaderelection.LockReference;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Holds an election on two locks at once while it moves from an older elector's ConfigMap or
 * Endpoints lock ({@code from}) to a Lease ({@code to}), as client-go's former {@code MultiLock}
 * did: every write goes to both, the old lock first, so a candidate leads only while it holds
 * both, and old electors (which read only the old lock) and new ones exclude each other during a
 * rolling update. When the two name different holders, the record shows client-go's
 * {@value #UNKNOWN_LEADER}, which nobody takes over before it has not changed for a lease
 * duration. The fencing token is the larger of the two transition counts, so it keeps growing
 * whichever elector wrote last.
 *
 * <p>Its version joins both objects' versions; a write is conditional on both. It does not watch
 * (followers poll every retry period) while the migration lasts. Thread-safe if both locks are.
 */
final class MigratingLock implements LeaseLock {

  /** The holder client-go shows while the two locks name different holders. */
  static final String UNKNOWN_LEADER = "leaderelection.k8s.io/unknown";

  private static final String ABSENT = "-";
  private static final char SEPARATOR = '|';

  private final LeaseLock from;
  private final LeaseLock to;

  MigratingLock(LeaseLock from, LeaseLock to) {
    this.from = from;
    this.to = to;
  }

  @Override
  public Optional<LeaderRecord> get() {
    Optional<LeaderRecord> old = from.get();
    Optional<LeaderRecord> lease = to.get();
    if (old.isEmpty() && lease.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(joined(old.orElse(null), lease.orElse(null)));
  }

  /** Creates the old lock's object, then the Lease (or takes it over if it exists already). */
  @Override
  public LeaderRecord create(LeaderRecord record) {
    LeaderRecord old = from.create(record.withVersion(null));
    return joined(old, writeLease(record, null));
  }

  /** Writes the old lock, then the Lease, each conditional on the version read. */
  @Override
  public LeaderRecord update(LeaderRecord record) {
    String version = record.version();
    int split = version == null ? -1 : version.indexOf(SEPARATOR);
    if (split < 0) {
      throw new LeaseConflictException(describe() + " cannot be updated from version " + version
          + ", which was not read from it");
    }
    String oldVersion = part(version.substring(0, split));
    String leaseVersion = part(version.substring(split + 1));
    LeaderRecord old = oldVersion == null ? from.create(record.withVersion(null))
        : from.update(record.withVersion(oldVersion));
    return joined(old, writeLease(record, leaseVersion));
  }

  @Override
  public String describe() {
    return to.describe() + " (migrating from " + from.describe() + ")";
  }

  /** The Lease's reference: where the election ends up. */
  @Override
  public LockReference reference() {
    return to.reference();
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * The Lease written: updated at the version read, or created when there was none (a conflict if
   * another candidate created it meanwhile). When this fails after the old lock was written, the
   * two name different holders until a candidate writes both again: nobody leads meanwhile.
   */
  private LeaderRecord writeLease(LeaderRecord record, @Nullable String version) {
    return version != null ? to.update(record.withVersion(version))
        : to.create(record.withVersion(null));
  }

  /** One record of both: the old one's, with the holder unknown unless both agree. */
  private static LeaderRecord joined(@Nullable LeaderRecord old, @Nullable LeaderRecord lease) {
    LeaderRecord base = old != null ? old : lease;
    if (base == null) {
      throw new IllegalArgumentException("neither lock holds a record");
    }
    String holder = base.holderIdentity();
    if (old != null && lease != null && !old.holderIdentity().equals(lease.holderIdentity())) {
      holder = UNKNOWN_LEADER;
    }
    int transitions = Math.max(old == null ? 0 : old.leaseTransitions(),
        lease == null ? 0 : lease.leaseTransitions());
    return new LeaderRecord(holder, base.leaseDuration(), base.acquireTime(), base.renewTime(),
        transitions, base.holderPriority(), base.preferredHolder(),
        version(old) + SEPARATOR + version(lease));
  }

  private static String version(@Nullable LeaderRecord record) {
    return record == null || record.version() == null ? ABSENT : record.version();
  }

  private static @Nullable String part(String version) {
    return version.equals(ABSENT) ? null : version;
  }
}
