package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leaderelection.LeaderElector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A named election written in YAML with no values of its own ({@code audits:}, or
 * {@code reports: {}} where Spring Boot keeps it) is held with the top-level values.
 */
class EmptyNamedElectionTests {

  @Test
  void namedElectionWithoutValuesInYamlShouldBeHeldWithTheTopLevelValues() {
    try (ConfigurableApplicationContext context = start("empty-named-election.yml")) {
      assertThat(context.getBean(LeaderElections.class).names())
          .containsExactly("audits", "default");
      assertThat(context.getBean("auditsLeaderElector", LeaderElector.class).lock().describe())
          .isEqualTo("in-memory lock audits");
      assertThat(context.getBean("auditsLeaderElector", LeaderElector.class).timings())
          .isEqualTo(context.getBean("leaderElector", LeaderElector.class).timings());
    }
  }

  /** Spring Boot 4.0's YAML loader drops an empty map before any binder sees it (docs/spring-boot.md). */
  @Test
  void namedElectionWrittenAsAnEmptyMapShouldBeHeldOnSpringBoot41() {
    String boot = SpringBootVersion.getVersion();
    assumeTrue(boot != null && !boot.startsWith("4.0."),
        "Spring Boot " + boot + " drops 'reports: {}' while loading YAML");
    try (ConfigurableApplicationContext context = start("empty-map-named-election.yml")) {
      assertThat(context.getBean(LeaderElections.class).names())
          .containsExactly("default", "reports");
      assertThat(context.getBean("reportsLeaderElector", LeaderElector.class).lock().describe())
          .isEqualTo("in-memory lock reports");
    }
  }

  private static ConfigurableApplicationContext start(String yaml) {
    return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
        .run("--spring.config.location=classpath:" + yaml, "--KUBECONFIG=",
            "--KUBERNETES_SERVICE_HOST=");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {
  }
}
