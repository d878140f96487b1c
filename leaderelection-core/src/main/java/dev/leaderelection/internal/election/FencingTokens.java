package dev.leaderelection.internal.election;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fencing tokens of one lock as this elector saw them: the highest {@code leaseTransitions}
 * ever observed, so a new term's token is above every earlier one even after the record was
 * deleted or recreated. Thread-safe.
 *
 * <p>At the {@code int32} limit of {@code leaseTransitions} no larger token exists: a record at
 * the limit is not taken (the round fails, naming the repair), and once an operator has reset
 * such a record the count starts over from the reset record, so nothing overflows and no repair
 * needs a restart.
 */
final class FencingTokens {

  private static final Logger log = LoggerFactory.getLogger(FencingTokens.class);

  private final String lock;
  private final String field;
  private final String repair;
  private int highest = -1;

  /**
   * @param lockDescription the lock, for messages
   * @param lockKind the lock's {@link dev.leaderelection.spi.LockReference#kind() kind}, which
   *     decides how the record's count is named in the repair
   */
  FencingTokens(String lockDescription, String lockKind) {
    this.lock = lockDescription;
    switch (lockKind) {
      case "etcd" -> {
        field = "leaderTransitions";
        repair = "Delete the key or set leaderTransitions in its record lower";
      }
      case "ConfigMap", "Endpoints" -> {
        field = "leaderTransitions";
        repair = "Delete it or set leaderTransitions in its "
            + "control-plane.alpha.kubernetes.io/leader annotation lower";
      }
      default -> {
        field = "leaseTransitions";
        repair = "Delete it or set spec.leaseTransitions lower";
      }
    }
  }

  /** Remembers the token of a record this elector saw. */
  synchronized void saw(LeaderRecord record) {
    highest = Math.max(highest, record.leaseTransitions());
  }

  /** Whether the record counts fewer transitions than one seen before: deleted or recreated. */
  synchronized boolean lostHistory(LeaderRecord record) {
    return record.leaseTransitions() < highest;
  }

  /**
   * Whether {@code record} is free and counts fewer transitions than one seen before: deleted and
   * recreated, by hand or by a tool, which asserts that its last holder is gone.
   */
  boolean isFreeWithoutHistory(LeaderRecord record) {
    return !record.isHeld() && lostHistory(record);
  }

  /**
   * The token of a new term replacing {@code current} (null: no record).
   *
   * @throws LeaseLockException when the record's count is at the limit
   */
  synchronized int next(@Nullable LeaderRecord current) {
    int stored = current == null ? -1 : current.leaseTransitions();
    if (stored == Integer.MAX_VALUE) {
      throw new LeaseLockException(lock + ": " + field + " is " + stored
          + ", the largest value it can hold, so no new term can get a larger fencing token and "
          + "no instance takes the lease over. " + repair + " to start the count over (fencing "
          + "tokens then start over too)");
    }
    if (highest == Integer.MAX_VALUE) {
      log.warn("{}: fencing tokens start over from {} after the record was reset at the int32 "
          + "limit of leaseTransitions", lock, stored + 1);
      highest = stored;
    }
    return Math.max(stored, highest) + 1;
  }
}
