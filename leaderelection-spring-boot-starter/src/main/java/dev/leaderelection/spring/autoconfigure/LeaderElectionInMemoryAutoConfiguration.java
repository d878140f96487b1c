package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.spring.LeaseLockFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The {@code in-memory} backend ({@code leader-election.lock=in-memory}): elections local to this
 * JVM, for tests and single-process runs, and what {@code lock=auto} falls back to, with a
 * warning, when no other backend is configured.
 *
 * @since 0.3.0
 */
@AutoConfiguration(before = LeaderElectionAutoConfiguration.class)
@Conditional({OnLeaderElectionEnabledCondition.class, OnSupportedSpringBootCondition.class})
public final class LeaderElectionInMemoryAutoConfiguration {

  @Bean
  LeaseLockFactory leaderElectionInMemoryLocks() {
    return new InMemoryLockFactory();
  }
}
