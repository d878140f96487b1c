package dev.leaderelection;

/**
 * Elector settings for tests in other packages (the groups'): every task on one manual scheduler
 * and no retry jitter, so every run is the same.
 */
public final class ManualElectors {

  private ManualElectors() {
  }

  /** {@code builder} running rounds, lock calls and listeners on {@code scheduler}, no jitter. */
  public static LeaderElector.Builder on(ManualScheduler scheduler, LeaderElector.Builder builder) {
    return builder.scheduler(scheduler).executor(scheduler).callbackExecutor(scheduler)
        .jitter(() -> 0);
  }
}
