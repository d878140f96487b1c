package dev.leaderelection.spring;

import dev.leaderelection.LeaderElector;

/**
 * Customizes the builder of each {@link LeaderElector} the starter creates, after the properties
 * were applied: add a listener, set a priority, or change the executors.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LeaderElectorCustomizer {

  /**
   * @param election the election's name ({@code default} for the default election)
   * @param builder the builder, with the properties applied
   */
  void customize(String election, LeaderElector.Builder builder);
}
