package dev.leaderelection.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The arguments of {@link KubernetesLocks#groupMembership}, checked before anything is sent. */
class GroupMembershipArgumentsTest {

  private static final Duration TTL = Duration.ofSeconds(15);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final KubernetesLocks locks = KubernetesLocks.create(
      new ApiClient().setBasePath("http://127.0.0.1:1"));

  @AfterEach
  void close() {
    locks.close();
  }

  @Test
  void validArgumentsShouldDescribeTheGroupsLeases() {
    assertThat(locks.groupMembership("payments", "Tenants (EU)", TTL, TIMEOUT).describe())
        .startsWith("members of group Tenants (EU) (leases leaderelection.dev/group=tenants-eu-")
        .endsWith(" in namespace payments)");
  }

  @Test
  void ttlThatIsNotWholeSecondsShouldBeRejectedNamingTheField() {
    assertThatIllegalArgumentException().isThrownBy(() -> locks.groupMembership("payments",
            "tenants", Duration.ofMillis(1500), Duration.ofMillis(500)))
        .withMessageContaining("memberTtl is PT1.5S").withMessageContaining("whole number");
  }

  @Test
  void timeoutNotBelowTheTtlShouldBeRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> locks.groupMembership("payments",
            "tenants", TTL, TTL))
        .withMessageContaining("requestTimeout is PT15S but must be less than memberTtl");
  }

  @Test
  void emptyGroupOrInvalidNamespaceShouldBeRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> locks.groupMembership("payments", "",
        TTL, TIMEOUT)).withMessageContaining("group is ''");
    assertThatIllegalArgumentException().isThrownBy(() -> locks.groupMembership("Payments",
        "tenants", TTL, TIMEOUT)).withMessageContaining("namespace is 'Payments'");
  }
}
