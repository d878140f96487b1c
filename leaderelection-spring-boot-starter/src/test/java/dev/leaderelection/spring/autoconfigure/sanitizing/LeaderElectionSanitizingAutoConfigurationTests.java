package dev.leaderelection.spring.autoconfigure.sanitizing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The starter's {@link SanitizingFunction}: which keys it masks, in every form Spring Boot binds
 * them, and that it is there exactly when Actuator is.
 */
class LeaderElectionSanitizingAutoConfigurationTests {

  private static final PropertySource<?> SOURCE = new MapPropertySource("test", java.util.Map.of());

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LeaderElectionSanitizingAutoConfiguration.class));

  private final SanitizingFunction function = new LeaderElectionSanitizingFunction();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"leader-election.etcd.password", "leaderElection.etcd.password",
      "LEADER_ELECTION_ETCD_PASSWORD", "leader_election.etcd.password",
      "leader-election.elections.billing.etcd.password",
      "LEADER_ELECTION_ELECTIONS_BILLING_ETCD_PASSWORD"})
  void passwordShouldBeMaskedUnderEveryFormOfItsKey(String key) {
    assertThat(sanitized(key, "S3cret")).isEqualTo(SanitizableData.SANITIZED_VALUE);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"leader-election.etcd.endpoints", "leader-election.etcd.endpoints[1]",
      "LEADER_ELECTION_ETCD_ENDPOINTS", "LEADER_ELECTION_ETCD_ENDPOINTS_1_",
      "leaderElection.etcd.endpoints[0]"})
  void endpointsShouldKeepEverythingButTheirUserInfo(String key) {
    assertThat(sanitized(key, "https://admin:S3cret@etcd-0:2379,https://etcd-1:2379,"
        + "http://u:p@ss@[::1]:2379/"))
        .isEqualTo("https://******@etcd-0:2379,https://etcd-1:2379,http://******@[::1]:2379/");
    assertThat(sanitized(key, List.of("https://admin:S3cret@etcd-0:2379", "https://etcd-1:2379")))
        .isEqualTo(List.of("https://******@etcd-0:2379", "https://etcd-1:2379"));
  }

  @Test
  void everythingElseShouldBeLeftAsItIs() {
    assertThat(sanitized("leader-election.etcd.username", "elector")).isEqualTo("elector");
    assertThat(sanitized("leader-election.etcd.endpoints", "https://etcd-0:2379"))
        .isEqualTo("https://etcd-0:2379");
    assertThat(sanitized("leader-election.lease-name", "password")).isEqualTo("password");
    assertThat(sanitized("spring.datasource.password", "not ours"))
        .as("Spring Boot's own keys are the application's to mask").isEqualTo("not ours");
    assertThat(sanitized("leader-election.etcd.password", null)).isNull();
  }

  @Test
  void withActuatorTheFunctionShouldBeABean() {
    runner.run(context -> assertThat(context).hasNotFailed()
        .getBean("leaderElectionSanitizingFunction")
        .isInstanceOf(LeaderElectionSanitizingFunction.class));
  }

  @Test
  void withoutActuatorThereShouldBeNoFunction() {
    runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean("leaderElectionSanitizingFunction"));
  }

  @Test
  void applicationsBeanOfTheSameNameShouldReplaceIt() {
    SanitizingFunction own = data -> data;
    runner.withBean("leaderElectionSanitizingFunction", SanitizingFunction.class, () -> own)
        .run(context -> assertThat(context.getBean("leaderElectionSanitizingFunction"))
            .isSameAs(own));
  }

  private Object sanitized(String key, Object value) {
    return function.applyUnlessFiltered(new SanitizableData(SOURCE, key, value)).getValue();
  }
}
