package dev.leaderelection.test;

import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The instance that leads while this one follows ({@link LeadershipControl#OTHER_INSTANCE}), as
 * writes on an in-memory lock: it takes a lock for an hour, or frees it so this instance takes it
 * at once. Each write is conditional on the version read, as a real instance's is.
 */
final class OtherInstance {

  /** How long a grant or a revoke may take. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private static final Duration LEASE = Duration.ofHours(1);

  private OtherInstance() {
  }

  /**
   * Takes {@code lock} for the other instance, with the next fencing token.
   *
   * @return false when the lock changed since {@code current} was read: read again
   */
  static boolean take(InMemoryLeaseLock lock, Optional<LeaderRecord> current) {
    Instant now = Instant.now();
    LeaderRecord others = LeaderRecord.builder().holderIdentity(LeadershipControl.OTHER_INSTANCE)
        .leaseDuration(LEASE).acquireTime(now).renewTime(now)
        .leaseTransitions(current.map(record -> record.leaseTransitions() + 1).orElse(0))
        .version(current.map(LeaderRecord::version).orElse(null)).build();
    return write(lock, current.isPresent(), others);
  }

  /**
   * Frees {@code lock} unless {@code self} holds it or it is free already, as the other instance
   * releasing it would: holder {@code ""}, keeping the fencing token.
   *
   * @return false when the lock changed since it was read: try again
   */
  static boolean free(InMemoryLeaseLock lock, String self) {
    Optional<LeaderRecord> current = lock.get();
    if (current.isEmpty() || current.get().holderIdentity().equals(self)
        || current.get().holderIdentity().isEmpty() && current.get().preferredHolder() == null) {
      return true;
    }
    LeaderRecord other = current.get();
    return write(lock, true, LeaderRecord.builder().holderIdentity("")
        .leaseDuration(Duration.ofSeconds(1)).acquireTime(other.acquireTime())
        .renewTime(Instant.now()).leaseTransitions(other.leaseTransitions())
        .version(other.version()).build());
  }

  /** Writes {@code record}; false when another write came first. */
  static boolean write(InMemoryLeaseLock lock, boolean exists, LeaderRecord record) {
    try {
      if (exists) {
        lock.update(record);
      } else {
        lock.create(record);
      }
      return true;
    } catch (LeaseConflictException e) {
      return false;
    }
  }

  /**
   * Waits, polling every 2 ms, until {@code done}.
   *
   * @throws IllegalStateException naming {@code what} when it is not done within {@link #WAIT}
   */
  static void await(String what, BooleanSupplier done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not done within " + WAIT);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }
}
