package dev.leaderelection.kubernetes.coordinated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The versions a LeaseCandidate may carry, and their order, as semver.org states them. */
class SemanticVersionTest {

  @ParameterizedTest
  @ValueSource(strings = {"1.4.2", "0.0.0", "1.5.0-rc.1", "2.0.0+build.7", "1.0.0-SNAPSHOT",
      "10.20.30-alpha-1.0+exp.sha.5114f85"})
  void semanticVersionsShouldParse(String version) {
    assertThat(SemanticVersion.parse("binaryVersion", version).major()).isNotNegative();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.4", "v1.4.2", "01.4.2", "1.4.2-", "1.4.2-01", "", "1.4.2.1",
      "latest"})
  void otherTextShouldFailNamingTheFieldAndTheRule(String version) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SemanticVersion.parse("emulationVersion", version))
        .withMessageContaining("emulationVersion is '" + version + "'")
        .withMessageContaining("must be a semantic version such as 1.4.2");
  }

  @ParameterizedTest
  @CsvSource({"1.0.0-alpha, 1.0.0-alpha.1", "1.0.0-alpha.1, 1.0.0-alpha.beta",
      "1.0.0-alpha.beta, 1.0.0-beta", "1.0.0-beta.2, 1.0.0-beta.11", "1.0.0-rc.1, 1.0.0",
      "1.0.0, 1.0.1", "1.9.0, 1.10.0", "1.10.0, 2.0.0"})
  void precedenceShouldFollowSemver(String lower, String higher) {
    assertThat(SemanticVersion.parse("v", lower)).isLessThan(SemanticVersion.parse("v", higher));
  }

  @ParameterizedTest
  @CsvSource({"1.0.0+a, 1.0.0+b", "1.0.0-rc.1, 1.0.0-rc.1+build"})
  void buildMetadataShouldNotCount(String a, String b) {
    assertThat(SemanticVersion.parse("v", a)).isEqualByComparingTo(SemanticVersion.parse("v", b));
  }
}
