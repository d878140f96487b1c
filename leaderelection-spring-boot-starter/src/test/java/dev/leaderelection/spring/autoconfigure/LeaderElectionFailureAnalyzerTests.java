package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every bad property stops startup with the property, the value, the rule and the fix. */
class LeaderElectionFailureAnalyzerTests {

  static Stream<Arguments> badProperties() {
    return Stream.of(
        bad("leader-election.lease-duration=-5s",
            "leader-election.lease-duration is '-5s' but must be greater than renew-deadline (10s)",
            "keep lease-duration > renew-deadline > 1.2 × retry-period > 0"),
        bad("leader-election.renew-deadline=20s",
            "leader-election.lease-duration is '15s' but must be greater than renew-deadline (20s)",
            "the defaults are 15s, 10s and 2s"),
        bad("leader-election.retry-period=0s",
            "leader-election.retry-period is '0s' but must be greater than zero",
            "keep lease-duration > renew-deadline"),
        bad("leader-election.lease-duration=1500ms",
            "leader-election.lease-duration is '1500ms' but must be a whole number of seconds "
                + "(a Lease stores leaseDurationSeconds as an integer)",
            "in whole seconds"),
        bad("leader-election.lease-name=",
            "leader-election.lease-name is '' but must be a valid Kubernetes name",
            "use a valid Kubernetes name such as 'my-app'"),
        bad("leader-election.lease-name=My_App",
            "leader-election.lease-name is 'My_App' but must be a valid Kubernetes name",
            "use a valid Kubernetes name"),
        bad("leader-election.namespace=Team A",
            "leader-election.namespace is 'Team A' but must be a valid Kubernetes name",
            "use an existing namespace"),
        bad("leader-election.lock=zookeeper",
            "leader-election.lock is 'zookeeper' but must be one of auto, lease, configmap, "
                + "in-memory", "use one of auto, lease, configmap, in-memory"),
        bad("leader-election.lease-duration=soon",
            "leader-election.lease-duration is 'soon' but must be a duration",
            "write it as 15s, 500ms or PT15S"),
        bad("leader-election.priority=-1",
            "leader-election.priority is '-1' but must be 0 or more", "use 0"),
        bad("leader-election.lock=lease",
            "leader-election.lock is 'lease' but needs a Kubernetes API, and none is configured",
            "run in a cluster, set KUBECONFIG"),
        bad("leader-election.elections.reports.renew-deadline=2s",
            "leader-election.elections.reports.renew-deadline is '2s' but must be greater than "
                + "1.2 × retry-period (2400ms)", "keep lease-duration > renew-deadline"),
        bad("leader-election.lock-call-threads=0",
            "leader-election.lock-call-threads is '0' but must be 1 or more",
            "set it to 1 or more"),
        bad("leader-election.elections.reports.lease-name=Reports!",
            "leader-election.elections.reports.lease-name is 'Reports!' but must be a valid",
            "use a valid Kubernetes name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badProperties")
  void badPropertyShouldBeExplainedByTheFailureAnalyzer(String property, String description,
      String action) {
    new ApplicationContextRunner()
        .withConfiguration(LeaderElectionAutoConfigurationTests.ALL)
        .withPropertyValues("KUBECONFIG=/nonexistent/kubeconfig", "leader-election.lease-name=my-app",
            property)
        .run(context -> {
          assertThat(context).hasFailed();
          FailureAnalysis analysis =
              new LeaderElectionFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription()).contains(description);
          assertThat(analysis.getAction()).contains(action);
        });
  }

  @ParameterizedTest(name = "no lease name, no elections")
  @MethodSource("none")
  void missingLeaseNameShouldBeExplained(String ignored) {
    new ApplicationContextRunner()
        .withConfiguration(LeaderElectionAutoConfigurationTests.ALL)
        .withPropertyValues("KUBECONFIG=/nonexistent/kubeconfig")
        .run(context -> {
          FailureAnalysis analysis =
              new LeaderElectionFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis.getDescription())
              .contains("leader-election.lease-name is not set but must be set");
          assertThat(analysis.getAction()).contains("leader-election.enabled=false");
        });
  }

  static Stream<String> none() {
    return Stream.of("");
  }

  private static Arguments bad(String property, String description, String action) {
    return Arguments.of(property, description, action);
  }
}
