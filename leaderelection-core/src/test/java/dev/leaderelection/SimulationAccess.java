package dev.leaderelection;

import java.util.function.DoubleSupplier;

/**
 * Test-only bridge for {@code dev.leaderelection.simulation}: sets the package-private retry
 * jitter of a {@link LeaderElector.Builder}, so a seeded simulation replays exactly.
 */
public final class SimulationAccess {

  private SimulationAccess() {
  }

  /** Sets {@code builder}'s jitter source (numbers in [0, 1)); returns the builder. */
  public static LeaderElector.Builder jitter(LeaderElector.Builder builder, DoubleSupplier jitter) {
    return builder.jitter(jitter);
  }
}
