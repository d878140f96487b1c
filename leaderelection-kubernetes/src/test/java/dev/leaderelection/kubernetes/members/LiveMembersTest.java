package dev.leaderelection.kubernetes.members;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Liveness of members as a watch reports their Leases, on a fake ticker. */
class LiveMembersTest {

  private static final Duration TTL = Duration.ofSeconds(15);

  private final FakeTicker ticker = new FakeTicker();
  private final LiveMembers members = new LiveMembers(ticker);

  private static MemberLease lease(String identity, String resourceVersion) {
    return new MemberLease("tenants.member." + identity, identity, TTL, resourceVersion);
  }

  @Test
  void joinedMemberShouldBeLiveAndDeliveredOnce() {
    members.observed(lease("a", "10"));

    assertThat(members.view()).containsExactly("a");
    assertThat(members.view()).isNull();
  }

  @Test
  void renewedMemberShouldStayLivePastItsFirstDuration() {
    members.observed(lease("a", "10"));
    ticker.advance(Duration.ofSeconds(10));
    members.observed(lease("a", "11"));
    ticker.advance(Duration.ofSeconds(10));

    assertThat(members.live()).containsExactly("a");
    assertThat(members.nanosUntilNextChange()).hasValue(Duration.ofSeconds(5).toNanos());
  }

  @Test
  void deletedMemberShouldLeaveAtOnce() {
    members.observed(lease("a", "10"));
    members.observed(lease("b", "11"));
    members.view();

    members.deleted("tenants.member.a");

    assertThat(members.view()).containsExactly("b");
  }

  @Test
  void memberThatStopsRenewingShouldExpireAfterItsDurationAndNotBefore() {
    members.observed(lease("a", "10"));
    members.view();

    ticker.advance(TTL.minusNanos(1));
    assertThat(members.view()).isNull();
    assertThat(members.nanosUntilNextChange()).hasValue(1L);

    ticker.advance(Duration.ofNanos(1));
    assertThat(members.view()).isEmpty();
    assertThat(members.nanosUntilNextChange()).hasValue(TTL.multipliedBy(9).toNanos());
  }

  @Test
  void leaseUnchangedForTenDurationsShouldBeHandedOutOnceAsAbandoned() {
    members.observed(lease("a", "10"));
    members.observed(lease("b", "11"));
    ticker.advance(TTL.multipliedBy(5));
    members.observed(lease("b", "12"));

    ticker.advance(TTL.multipliedBy(5).minusNanos(1));
    assertThat(members.abandoned()).isEmpty();
    ticker.advance(Duration.ofNanos(1));

    assertThat(members.abandoned())
        .containsExactly(new LiveMembers.Abandoned("tenants.member.a", "10"));
    assertThat(members.abandoned()).isEmpty();
    assertThat(members.nanosUntilNextChange()).hasValue(TTL.multipliedBy(5).toNanos());
  }

  @Test
  void noKnownLeaseShouldNeedNoTimer() {
    members.listed(List.of());

    assertThat(members.nanosUntilNextChange()).isEmpty();
  }

  @Test
  void expiryShouldUseTheLeasesOwnDuration() {
    members.observed(new MemberLease("g.member.short", "short", Duration.ofSeconds(3), "1"));
    members.observed(lease("long", "2"));

    ticker.advance(Duration.ofSeconds(3));

    assertThat(members.live()).containsExactly("long");
  }

  @Test
  void duplicateEventShouldNotCountAsRenewal() {
    members.observed(lease("a", "10"));
    ticker.advance(Duration.ofSeconds(10));
    members.observed(lease("a", "10"));
    ticker.advance(Duration.ofSeconds(5));

    assertThat(members.live()).isEmpty();
  }

  @Test
  void olderEventArrivingLateShouldNotCountAsRenewal() {
    members.observed(lease("a", "12"));
    ticker.advance(Duration.ofSeconds(10));
    members.observed(lease("a", "11"));
    ticker.advance(Duration.ofSeconds(5));

    assertThat(members.live()).isEmpty();
  }

  @Test
  void opaqueResourceVersionThatChangedShouldCountAsRenewal() {
    members.observed(lease("a", "abc"));
    ticker.advance(Duration.ofSeconds(10));
    members.observed(lease("a", "abd"));
    ticker.advance(Duration.ofSeconds(10));

    assertThat(members.live()).containsExactly("a");
  }

  @Test
  void expiredMemberThatRenewsAgainShouldRejoin() {
    members.observed(lease("a", "10"));
    members.view();
    ticker.advance(TTL);
    assertThat(members.view()).isEmpty();

    members.observed(lease("a", "20"));

    assertThat(members.view()).containsExactly("a");
  }

  @Test
  void freshListShouldDropLeasesDeletedMeanwhileAndKeepUnchangedOnesAging() {
    members.observed(lease("a", "10"));
    members.observed(lease("b", "11"));
    members.view();
    ticker.advance(Duration.ofSeconds(10));

    members.listed(List.of(lease("a", "10"), lease("c", "30")));

    assertThat(members.view()).containsExactlyInAnyOrder("a", "c");
    ticker.advance(Duration.ofSeconds(5));
    assertThat(members.view()).containsExactly("c");
  }

  @Test
  void freshListShouldDeliverTheWholeSetAgainEvenWhenUnchanged() {
    members.observed(lease("a", "10"));
    assertThat(members.view()).containsExactly("a");

    members.listed(List.of(lease("a", "10")));

    assertThat(members.view()).containsExactly("a");
    assertThat(members.view()).isNull();
  }

  @Test
  void emptyFirstListShouldBeDeliveredAsAnEmptySet() {
    members.listed(List.of());

    assertThat(members.view()).isEqualTo(Set.of());
  }

  @Test
  void leaseOfAnotherGroupWithTheSameLabelShouldNotBeAMember() {
    JsonObject other = json("other-group", "a");
    JsonObject own = json("tenants", "a");

    assertThat(MemberLease.of(other, "tenants", TTL)).isNull();
    assertThat(MemberLease.of(own, "tenants", TTL))
        .isEqualTo(new MemberLease("tenants.member.a", "a", Duration.ofSeconds(9), "7"));
  }

  @Test
  void leaseWithoutHolderShouldNotBeAMember() {
    assertThat(MemberLease.of(json("tenants", ""), "tenants", TTL)).isNull();
  }

  private static JsonObject json(String group, String holder) {
    return JsonParser.parseString("{\"metadata\":{\"name\":\"tenants.member.a\","
        + "\"resourceVersion\":\"7\",\"annotations\":{\"leaderelection.dev/group\":\"" + group
        + "\"}},\"spec\":{\"holderIdentity\":\"" + holder + "\",\"leaseDurationSeconds\":9}}")
        .getAsJsonObject();
  }
}
