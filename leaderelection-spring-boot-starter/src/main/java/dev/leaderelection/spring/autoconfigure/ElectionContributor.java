package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.spi.LeaseLock;
import java.util.Map;

/**
 * How one of the starter's own auto-configurations (events, the {@code @OnLeader} guard,
 * metrics) takes part in building the elector of every election. Beans of this type are applied
 * in their {@link org.springframework.core.Ordered order}, before the application's
 * {@link dev.leaderelection.spring.LeaderElectorCustomizer}s.
 *
 * <p>Internal to the starter: public only so that its sub-packages can reach it. Applications
 * use {@code LeaderElectorCustomizer}.
 *
 * @since 0.1.0
 */
public interface ElectionContributor {

  /** The lock {@code election} uses: {@code lock} itself, or a lock that wraps it. */
  default LeaseLock lock(String election, LeaseLock lock) {
    return lock;
  }

  /** Adds to the builder of {@code election}'s elector, typically a listener. */
  default void customize(String election, LeaseTimings timings, LeaderElector.Builder builder) {
  }

  /** The elector of {@code election} was built with this contributor's additions. */
  default void built(String election, LeaderElector elector) {
  }

  /**
   * What this contributor adds to the health details of {@code election}, such as a problem
   * that does not stop the election; empty by default.
   *
   * @since 0.2.0
   */
  default Map<String, Object> healthDetails(String election) {
    return Map.of();
  }
}
