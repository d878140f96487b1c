package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootVersion;

class OnSupportedSpringBootConditionTests {

  @ParameterizedTest
  @ValueSource(strings = {"3.5.7", "3.4.0", "2.7.18"})
  void bootOlderThanFourShouldFailNamingBothVersions(String version) {
    assertThatIllegalStateException()
        .isThrownBy(() -> OnSupportedSpringBootCondition.check(version))
        .withMessageContaining("needs Spring Boot 4.0 or later")
        .withMessageContaining("runs Spring Boot " + version)
        .withMessageContaining("leaderelection-core without the starter");
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.0.0", "4.0.9", "4.1.1", "4.2.0-M1", "5.0.0", "", "snapshot"})
  void supportedOrUnknownVersionsShouldPass(String version) {
    assertThatCode(() -> OnSupportedSpringBootCondition.check(version)).doesNotThrowAnyException();
  }

  @Test
  void theBootUnderTestShouldBeSupported() {
    assertThatCode(() -> OnSupportedSpringBootCondition.check(SpringBootVersion.getVersion()))
        .doesNotThrowAnyException();
  }
}
