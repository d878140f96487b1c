package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.LeaderElector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A named election written in YAML with no values of its own ({@code reports: {}} or
 * {@code audits:}) is held with the top-level values, never dropped without a word.
 */
class EmptyNamedElectionTests {

  @Test
  void namedElectionsWithoutValuesInYamlShouldBeHeldWithTheTopLevelValues() {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
        .web(WebApplicationType.NONE)
        .run("--spring.config.location=classpath:empty-named-election.yml", "--KUBECONFIG=",
            "--KUBERNETES_SERVICE_HOST=")) {
      assertThat(context.getBean(LeaderElections.class).names())
          .containsExactly("audits", "default", "reports");
      assertThat(context.getBean("reportsLeaderElector", LeaderElector.class).lock().describe())
          .isEqualTo("in-memory lock reports");
      assertThat(context.getBean("auditsLeaderElector", LeaderElector.class).timings())
          .isEqualTo(context.getBean("leaderElector", LeaderElector.class).timings());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {
  }
}
