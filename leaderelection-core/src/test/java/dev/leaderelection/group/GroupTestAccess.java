package dev.leaderelection.group;

import dev.leaderelection.LeaderElector;
import java.util.function.UnaryOperator;

/**
 * Test-only bridge for {@code dev.leaderelection.simulation}: sets the package-private settings
 * of every shard's elector, so the simulator runs a group on its simulated processes.
 */
public final class GroupTestAccess {

  private GroupTestAccess() {
  }

  /** Applies {@code settings} to every shard's elector builder of {@code builder}. */
  public static ShardGroup.Builder electorSettings(ShardGroup.Builder builder,
      UnaryOperator<LeaderElector.Builder> settings) {
    return builder.electorSettings(settings);
  }
}
