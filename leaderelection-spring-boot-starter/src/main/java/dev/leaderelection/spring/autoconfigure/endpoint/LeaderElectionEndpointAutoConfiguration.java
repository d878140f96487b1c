package dev.leaderelection.spring.autoconfigure.endpoint;

import dev.leaderelection.spring.autoconfigure.ContributedDetails;
import dev.leaderelection.spring.autoconfigure.ElectionContributor;
import dev.leaderelection.spring.autoconfigure.GroupContributor;
import dev.leaderelection.spring.autoconfigure.LeaderElectionAutoConfiguration;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code leaderelection} Actuator endpoint, when Actuator is present and the endpoint is
 * available (exposed with {@code management.endpoints.web.exposure.include}; its write operation
 * follows {@code management.endpoint.leaderelection.access}).
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = LeaderElectionAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition."
    + "ConditionalOnAvailableEndpoint")
@ConditionalOnBean(LeaderElections.class)
public final class LeaderElectionEndpointAutoConfiguration {

  static final EndpointId ID = EndpointId.of("leaderelection");

  /** Nested, so that Actuator's classes are read only when Actuator is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnAvailableEndpoint(LeaderElectionEndpoint.class)
  static class EndpointConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LeaderElectionEndpoint leaderElectionEndpoint(LeaderElections elections,
        ObjectProvider<ElectionContributor> contributors,
        ObjectProvider<GroupContributor> groupContributors) {
      elections.requireAny();
      return new LeaderElectionEndpoint(elections, new ContributedDetails(
          contributors.orderedStream().toList(), groupContributors.orderedStream().toList()));
    }

    @Bean
    OperationInvokerAdvisor leaderElectionForBodyFieldAdvisor() {
      return new ForBodyFieldAdvisor();
    }
  }
}
