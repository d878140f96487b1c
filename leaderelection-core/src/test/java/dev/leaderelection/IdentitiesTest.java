package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.leaderelection.internal.Identities;
import dev.leaderelection.spi.InMemoryLeaseLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentitiesTest {

  @ParameterizedTest
  @ValueSource(strings = {"pod-a", "pod-a_1f2e3d4c", "app b", "ünïcødé"})
  void ordinaryIdentitiesShouldBeValid(String identity) {
    assertThat(Identities.problem(identity)).isNull();
  }

  @Test
  void controlCharactersShouldBeRejectedAndEscapedInTheMessage() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LeaderElector.builder(new InMemoryLeaseLock("l"), "pod-a\nevil\0x")
            .build())
        .withMessage("identity is 'pod-a\\nevil\\u0000x' but must not contain control characters "
            + "(such as a line break or NUL)");
  }

  @Test
  void identityLongerThanAnObjectNameShouldBeRejected() {
    assertThat(Identities.problem("a".repeat(253))).isNull();
    assertThat(Identities.problem("a".repeat(254)))
        .isEqualTo("must be at most 253 characters (it has 254)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", " pod-a", "pod-a\t"})
  void blankOrPaddedIdentitiesShouldBeRejected(String identity) {
    assertThat(Identities.problem(identity)).isNotNull();
  }

  @Test
  void untrustedIdentityShouldBePrintedOnOneBoundedLine() {
    String hostile = "x\r\nERROR forged line\u001b[31m" + "y".repeat(1_000_000);

    String printed = Identities.printable(hostile);

    assertThat(printed).doesNotContain("\n", "\r", "\u001b")
        .startsWith("x\\r\\nERROR forged line\\u001b[31m")
        .endsWith("…(" + (hostile.length() - 120) + " more characters)")
        .hasSizeLessThan(200);
  }

  @Test
  void identityFollowingTheRuleShouldBeShownWholeAndAnyOtherBounded() {
    String longest = "a\\b" + "c".repeat(250);
    String hostile = "evil\nx" + "y".repeat(1 << 20);

    assertThat(Identities.shown(longest)).isEqualTo(longest);
    assertThat(Identities.shown("")).isEmpty();
    assertThat(Identities.shown(hostile)).isEqualTo(Identities.printable(hostile))
        .hasSizeLessThan(200);
  }
}
