package dev.leaderelection.spring.autoconfigure.metrics;

import dev.leaderelection.spring.autoconfigure.LeaderElectionAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics of every election and every sharded group, when Micrometer and a meter
 * registry are present.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LeaderElectionAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, LeaderElections.class})
public final class LeaderElectionMetricsAutoConfiguration {

  @Bean
  MicrometerElectionObserver leaderElectionMetrics(MeterRegistry registry) {
    return new MicrometerElectionObserver(registry);
  }

  @Bean
  MicrometerGroupObserver leaderElectionGroupMetrics(MeterRegistry registry,
      LeaderElections elections) {
    return new MicrometerGroupObserver(registry, elections);
  }
}
