package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * Every property that breaks one of the starter's rules stops startup with the property, the
 * value, the rule and the fix. A value that cannot be converted at all is Spring Boot's to
 * explain: its analysis also names where the value came from and the valid values.
 */
@ExtendWith(OutputCaptureExtension.class)
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
        bad("leader-election.kubernetes.namespace=Team A",
            "leader-election.kubernetes.namespace is 'Team A' but must be a valid Kubernetes name",
            "use an existing namespace"),
        bad("leader-election.priority=-1",
            "leader-election.priority is '-1' but must be 0 or more", "use 0"),
        bad("leader-election.lock=lease",
            "leader-election.lock is 'lease' but needs a Kubernetes API, and none is configured",
            "run in a cluster, set KUBECONFIG"),
        bad("leader-election.elections.reports.renew-deadline=2s",
            "leader-election.elections.reports.renew-deadline is '2s' but must be greater than "
                + "1.2 × retry-period (2400ms)", "keep lease-duration > renew-deadline"),
        bad("leader-election.elections.reports.identity=reports-pod",
            "leader-election.elections.reports.identity is 'reports-pod' but is a setting of the "
                + "whole process, which one election cannot change",
            "set leader-election.identity instead"),
        bad("leader-election.elections.reports.etcd.password=s3cret",
            "leader-election.elections.reports.etcd.password is '(hidden)' but is a setting of "
                + "the whole process", "set leader-election.etcd.password instead"),
        bad("leader-election.elections.reports.kubernetes.migration.from=endpoints",
            "leader-election.elections.reports.kubernetes.migration.from is 'endpoints' but moves "
                + "an election to a Lease, and the election's lock is in-memory",
            "set lock=lease"),
        bad("leader-election.lock-call-threads=0",
            "leader-election.lock-call-threads is '0' but must be between 1 and 64",
            "set it between 1 and 64"),
        bad("leader-election.lock-call-threads=100000",
            "leader-election.lock-call-threads is '100000' but must be between 1 and 64",
            "remove the property (default 2)"),
        bad("leader-election.elections.reports.lease-name=my-app",
            "leader-election.elections.reports.lease-name is 'my-app' but holds election "
                + "'reports' on in-memory my-app, which election 'default' of this application "
                + "holds too", "give each election a lock of its own"),
        bad("leader-election.elections.a_b.lease-name=ab",
            "leader-election.elections.a_b.lease-name names the election 'a_b', but an "
                + "election's name must be lower-case letters, digits and '-'",
            "write the name as 'a-b' wherever it appears"),
        bad("leader-election.groups.myTenants.shards=8",
            "leader-election.groups.myTenants.shards names the group 'myTenants', but a group's "
                + "name must be lower-case letters, digits and '-'",
            "write the name as 'my-tenants' wherever it appears"),
        bad("leader-election.elections.default.priority=3",
            "leader-election.elections.default is reserved: 'default' is the name of the "
                + "election configured at the top level",
            "configure the default election at the top level"),
        bad("leader-election.kubernetes.migration.name=old-lock",
            "leader-election.kubernetes.migration.name is 'old-lock' but has no effect without "
                + "kubernetes.migration.from", "set kubernetes.migration.from"),
        bad("leader-election.lease-duration=300000d",
            "leader-election.lease-duration is '25920000000s' but must be at most 86400s "
                + "(one day)", "write the unit"),
        bad("leader-election.retry-period=110000d",
            "leader-election.retry-period is '9504000000s' but must be at most 86400s",
            "write the unit"),
        bad("leader-election.elections.reports.renew-deadline=60d",
            "leader-election.elections.reports.renew-deadline is '5184000s' but must be at most "
                + "86400s", "write the unit"),
        bad("leader-election.elections.reports.lease-name=Reports!",
            "leader-election.elections.reports.lease-name is 'Reports!' but must be a valid",
            "use a valid Kubernetes name"),
        bad("leader-election.retry-period=2ms",
            "leader-election.retry-period is '2ms' but must be at least 100ms",
            "a bare number means seconds"),
        bad("leader-election.retry-period=1ns",
            "leader-election.retry-period is 'PT0.000000001S' but must be at least 100ms",
            "write the unit"),
        bad("leader-election.elections.reports.retry-period=99ms",
            "leader-election.elections.reports.retry-period is '99ms' but must be at least 100ms",
            "the default is 2s"),
        bad("leader-election.retry-period=-1s",
            "leader-election.retry-period is '-1s' but must be greater than zero",
            "keep lease-duration > renew-deadline"),
        bad("leader-election.lease-duration=PT15.0001S",
            "leader-election.lease-duration is 'PT15.0001S' but must be a whole number of seconds",
            "in whole seconds"),
        bad("leader-election.lease-duration=0",
            "leader-election.lease-duration is '0s' but must be greater than renew-deadline (10s)",
            "the defaults are 15s, 10s and 2s"),
        bad("leader-election.elections.reports.renew-deadline=20s",
            "leader-election.elections.reports.renew-deadline is '20s' but must be less than "
                + "lease-duration (15s, inherited from leader-election.lease-duration)",
            "Update 'leader-election.elections.reports.renew-deadline'"),
        bad("leader-election.elections.reports.retry-period=9s",
            "leader-election.elections.reports.retry-period is '9s' but must be less than "
                + "renew-deadline / 1.2 (10s, inherited from leader-election.renew-deadline)",
            "Update 'leader-election.elections.reports.retry-period'"),
        bad("leader-election.elections.reports.priority=-3",
            "leader-election.elections.reports.priority is '-3' but must be 0 or more", "use 0"),
        bad("leader-election.enabled=maybe",
            "leader-election.enabled is 'maybe' but must be true or false",
            "false to turn leader election off"),
        bad("leader-election.enabled=flase",
            "leader-election.enabled is 'flase' but must be true or false", "use true"),
        bad("leader-election.identity=pod-a\nevil\u0000x",
            "leader-election.identity is 'pod-a\\nevil\\u0000x' but must not contain control "
                + "characters", "unique to this process"),
        bad("leader-election.identity=" + "p".repeat(254),
            "but must be at most 253 characters (it has 254)", "unique to this process"),
        bad("leader-election.identity=\u2003pod-a",
            "but must not start or end with white space", "unique to this process"),
        bad("POD_NAMESPACE=Bad_NS",
            "the environment variable POD_NAMESPACE is 'Bad_NS' but must be a valid Kubernetes "
                + "name", "Fix the environment variable POD_NAMESPACE, or set "
                + "leader-election.kubernetes.namespace, which wins over it"),
        bad("leader-election.elections.reports.kubernetes.namespace=-reports",
            "leader-election.elections.reports.kubernetes.namespace is '-reports' but must be a valid",
            "use an existing namespace"),
        bad("leader-election.lease-duration=1s",
            "leader-election.lease-duration is '1s' but must be greater than renew-deadline (10s)",
            "the defaults are 15s, 10s and 2s"),
        bad("leader-election.renew-deadline=0",
            "leader-election.renew-deadline is '0s' but must be greater than 1.2 × retry-period",
            "keep lease-duration > renew-deadline"),
        bad("leader-election.lease-duration=3000000000s",
            "leader-election.lease-duration is '3000000000s' but must be at most 86400s (one "
                + "day)", "write the unit"),
        bad("leader-election.lock=configmap",
            "leader-election.lock is 'configmap' but needs a Kubernetes API",
            "run in a cluster, set KUBECONFIG"),
        bad("leader-election.elections.reports.lock=lease",
            "leader-election.elections.reports.lock is 'lease' but needs a Kubernetes API",
            "define an ApiClient bean"),
        bad("leader-election.lease-name=" + "a".repeat(254),
            "leader-election.lease-name is '" + "a".repeat(254) + "' but must be a valid",
            "use a valid Kubernetes name"),
        bad("leader-election.etcd.endpoints=http://admin:S3cret@etcd-0:2379",
            "leader-election.etcd.endpoints is 'http://******@etcd-0:2379' but must not carry a "
                + "user or password", "set leader-election.etcd.username and "
                + "leader-election.etcd.password"),
        bad("leader-election.etcd.endpoints=http://etcd-0:2379/v3/kv?x=1#f",
            "leader-election.etcd.endpoints is 'http://etcd-0:2379/v3/kv?x=1#f' but must be "
                + "http://host:port or https://host:port, without a path, query or fragment",
            "remove what follows the port, as in http://etcd-0:2379"),
        bad("leader-election.elections.reports.etcd.endpoints=http://admin:S3cret@etcd-0:2379",
            "leader-election.elections.reports.etcd.endpoints is 'http://******@etcd-0:2379' but "
                + "is a setting of the whole process",
            "set leader-election.etcd.endpoints instead"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badProperties")
  void badPropertyShouldBeExplainedByTheFailureAnalyzer(String property, String description,
      String action) {
    withLeaseName(property)
        .run(context -> {
          assertThat(context).hasFailed();
          FailureAnalysis analysis =
              new LeaderElectionFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription()).contains(description);
          assertThat(analysis.getAction()).contains(action);
        });
  }

  @Test
  void missingLeaseNameShouldBeExplained() {
    StarterContexts.bare().run(context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis =
          new LeaderElectionFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription())
          .contains("leader-election.lease-name is not set but must be set");
      assertThat(analysis.getAction()).contains("leader-election.enabled=false");
    });
  }

  /** Values of the wrong type: the binding fails, and Boot's BindFailureAnalyzer explains it. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"leader-election.lease-duration=soon", "leader-election.priority=99999999999",
      "leader-election.lock-call-threads=many", "leader-election.release-on-shutdown=sometimes",
      "leader-election.elections.reports.lease-duration=later",
      "leader-election.priority=1.5"})
  void unconvertibleValueShouldBeLeftToSpringBoot(String property) {
    withLeaseName(property).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).satisfies(failure -> assertThat(
          bindException(failure).getName().toString()).isEqualTo(property.split("=")[0]));
      assertThat(new LeaderElectionFailureAnalyzer().analyze(context.getStartupFailure()))
          .isNull();
    });
  }

  @Test
  void unconvertibleDurationShouldBeReportedWithItsOrigin(CapturedOutput output) {
    assertThatThrownBy(() -> new SpringApplicationBuilder(StarterApplication.class)
        .web(WebApplicationType.NONE)
        .run("--KUBECONFIG=", "--KUBERNETES_SERVICE_HOST=", "--leader-election.lease-name=my-app",
            "--leader-election.retry-period=soon"))
        .isInstanceOf(RuntimeException.class);

    assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
        .contains("Property: leader-election.retry-period")
        .contains("Value: \"soon\"")
        .contains("Origin: \"leader-election.retry-period\" from property source "
            + "\"commandLineArgs\"")
        .doesNotContain("Leader election is misconfigured");
  }

  @Test
  void unknownBackendShouldBeReportedWithTheBackendsPresent(CapturedOutput output) {
    assertThatThrownBy(() -> new SpringApplicationBuilder(StarterApplication.class)
        .web(WebApplicationType.NONE)
        .run("--KUBECONFIG=", "--KUBERNETES_SERVICE_HOST=", "--leader-election.lease-name=my-app",
            "--leader-election.elections.reports.lock=zookeeper"))
        .isInstanceOf(RuntimeException.class);

    assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
        .contains("leader-election.elections.reports.lock is 'zookeeper' but names no backend "
            + "present; the backends here are lease, configmap, etcd, in-memory (and auto)")
        .contains("Update 'leader-election.elections.reports.lock' in your application "
            + "configuration: use one of them, or add the module of the backend 'zookeeper'");
  }

  private static ApplicationContextRunner withLeaseName(String property) {
    return StarterContexts.bare().withPropertyValues("leader-election.lease-name=my-app",
        property);
  }

  private static BindException bindException(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException bind) {
        return bind;
      }
    }
    throw new AssertionError("no BindException in " + failure);
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({LeaderElectionKubernetesAutoConfiguration.class,
      LeaderElectionEtcdAutoConfiguration.class, LeaderElectionInMemoryAutoConfiguration.class,
      LeaderElectionAutoConfiguration.class})
  static class StarterApplication {
  }

  private static Arguments bad(String property, String description, String action) {
    return Arguments.of(property, description, action);
  }
}
