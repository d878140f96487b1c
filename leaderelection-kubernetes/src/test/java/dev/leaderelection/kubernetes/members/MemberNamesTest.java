package dev.leaderelection.kubernetes.members;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.kubernetes.KubernetesNames;
import org.junit.jupiter.api.Test;

/** Names and labels of member Leases. */
class MemberNamesTest {

  @Test
  void simpleGroupAndIdentityShouldBeKeptAsTheyAre() {
    assertThat(MemberNames.leaseName("tenants", "pod-a")).isEqualTo("tenants.member.pod-a");
    assertThat(MemberNames.labelSelector("tenants"))
        .isEqualTo("leaderelection.dev/group=tenants");
  }

  @Test
  void oddIdentityShouldBeSanitizedWithAStableHash() {
    String name = MemberNames.leaseName("tenants", "Pod_A:7");

    assertThat(name).matches("tenants\\.member\\.pod-a-7-[0-9a-f]{10}");
    assertThat(MemberNames.leaseName("tenants", "Pod_A:7")).isEqualTo(name);
    assertThat(KubernetesNames.objectNameRule(name)).isEmpty();
  }

  @Test
  void identitiesThatSanitizeAlikeShouldGetDifferentNames() {
    assertThat(MemberNames.leaseName("g", "Pod-A"))
        .isNotEqualTo(MemberNames.leaseName("g", "pod_a"))
        .isNotEqualTo(MemberNames.leaseName("g", "pod-a"));
  }

  @Test
  void longGroupAndIdentityShouldFitTheKubernetesLimits() {
    String group = "G".repeat(300);
    String name = MemberNames.leaseName(group, "i".repeat(500));

    assertThat(KubernetesNames.objectNameRule(name)).isEmpty();
    assertThat(MemberNames.labelValue(group)).hasSizeLessThanOrEqualTo(63)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(MemberNames.labelValue("g".repeat(64)))
        .isNotEqualTo(MemberNames.labelValue("g".repeat(65))).hasSize(63);
  }

  @Test
  void identityOfOnlyOddCharactersShouldBecomeItsHash() {
    assertThat(MemberNames.part("___", 100)).matches("[0-9a-f]{10}");
  }

  @Test
  void groupsWhoseNamesContainTheSeparatorShouldNotShareLeases() {
    assertThat(MemberNames.leaseName("a.member.b", "c"))
        .isNotEqualTo(MemberNames.leaseName("a", "b.member.c"));
  }
}
