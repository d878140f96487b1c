package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaseLock;

/** Test-only bridge: the package-private {@link MigratingLock} over any two locks. */
public final class MigratingLocks {

  private MigratingLocks() {
  }

  /** The real migrating lock from {@code from} (the old lock) to {@code to} (the Lease). */
  public static LeaseLock migrating(LeaseLock from, LeaseLock to) {
    return new MigratingLock(from, to);
  }
}
