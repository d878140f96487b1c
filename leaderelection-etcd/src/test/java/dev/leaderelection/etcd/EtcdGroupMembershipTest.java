package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The membership's settings, key layout and keep-alive timing; nothing reaches etcd. */
class EtcdGroupMembershipTest {

  private static final String ENDPOINT = "http://127.0.0.1:2379";

  @Test
  void membersKeysShouldBeUnderTheGroupByDefault() {
    try (EtcdGroupMembership members = EtcdLeaseLock.builder("tenants").endpoints(ENDPOINT)
        .buildGroupMembership(Duration.ofSeconds(15))) {

      assertThat(members.membersPrefix()).isEqualTo("/leaderelection/groups/tenants/members/");
      assertThat(members.memberKey("pod-a_1"))
          .isEqualTo("/leaderelection/groups/tenants/members/pod-a_1");
      assertThat(members.describe()).isEqualTo("members of group tenants under etcd prefix "
          + "/leaderelection/groups/tenants/members/ at " + ENDPOINT);
    }
  }

  @Test
  void givenKeyShouldBeTheGroupsKey() {
    try (EtcdGroupMembership members = EtcdLeaseLock.builder("tenants").endpoints(ENDPOINT)
        .key("/apps/billing/tenants").buildGroupMembership(Duration.ofSeconds(15))) {

      assertThat(members.membersPrefix()).isEqualTo("/apps/billing/tenants/members/");
    }
  }

  @Test
  void memberTtlShouldBeRoundedUpToWholeSeconds() {
    try (EtcdGroupMembership members = EtcdLeaseLock.builder("tenants").endpoints(ENDPOINT)
        .buildGroupMembership(Duration.ofMillis(6_200))) {

      assertThat(members.memberTtl()).isEqualTo(Duration.ofSeconds(7));
    }
  }

  @Test
  void memberTtlNotLongerThanTheRequestTimeoutShouldBeRefused() {
    assertThatThrownBy(() -> EtcdLeaseLock.builder("tenants").endpoints(ENDPOINT)
        .requestTimeout(Duration.ofSeconds(5)).buildGroupMembership(Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("memberTtl is PT5S but must be longer than the request timeout, PT5S");
  }

  @Test
  void membershipWithoutConnectionShouldBeRefused() {
    assertThatThrownBy(() -> EtcdLeaseLock.builder("tenants")
        .buildGroupMembership(Duration.ofSeconds(15)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoints (or a client) are required");
  }

  @Test
  void joinShouldRefuseABlankIdentityAndASecondJoinOfTheSameIdentity() throws Exception {
    try (EtcdGroupMembership members = EtcdLeaseLock.builder("tenants")
        .endpoints("http://127.0.0.1:1").requestTimeout(Duration.ofMillis(500))
        .buildGroupMembership(Duration.ofSeconds(2))) {
      assertThatThrownBy(() -> members.join(" "))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("identity");

      AutoCloseable joined = members.join("pod-a");
      assertThatThrownBy(() -> members.join("pod-a"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("pod-a has already joined members of group tenants");
      joined.close(); // nothing listens there: the leave is logged, not thrown
      joined.close();
    }
  }

  @Test
  void closedMembershipShouldRefuseToJoin() {
    EtcdGroupMembership members = EtcdLeaseLock.builder("tenants").endpoints(ENDPOINT)
        .buildGroupMembership(Duration.ofSeconds(15));
    members.close();
    members.close();

    assertThatThrownBy(() -> members.join("pod-a")).isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("is closed");
  }

  @Test
  void leaseShouldBeKeptAliveEveryThirdOfItsTtlAndFailedCallsRetriedWithinASecond() {
    assertThat(MemberAnnouncement.keepAliveInterval(15)).isEqualTo(Duration.ofSeconds(5));
    assertThat(MemberAnnouncement.keepAliveInterval(2)).isEqualTo(Duration.ofNanos(666_666_666));
    assertThat(MemberAnnouncement.retryDelay(Duration.ofSeconds(5)))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(MemberAnnouncement.retryDelay(Duration.ofMillis(666)))
        .isEqualTo(Duration.ofMillis(666));
    assertThat(MemberAnnouncement.retryDelay(Duration.ofMillis(1_500)))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void onlyNotFoundShouldMeanTheLeaseIsGone() {
    EtcdCalls calls = new EtcdCalls("/k", ENDPOINT, Duration.ofSeconds(1));

    assertThat(MemberAnnouncement.leaseGone(new CompletionException(calls.failure("put",
        Status.NOT_FOUND.withDescription("etcdserver: requested lease not found")
            .asRuntimeException())))).isTrue();
    assertThat(MemberAnnouncement.leaseGone(calls.failure("put",
        Status.UNAVAILABLE.asRuntimeException()))).isFalse();
    assertThat(MemberAnnouncement.leaseGone(new IllegalStateException("closed"))).isFalse();
  }
}
