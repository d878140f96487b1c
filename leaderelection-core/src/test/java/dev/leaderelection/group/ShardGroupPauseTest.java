package dev.leaderelection.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.StepDownReason;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Pausing a member of a group (readiness lost, a context stopped) and resuming it. */
class ShardGroupPauseTest {

  private final GroupHarness harness = new GroupHarness(6);

  @Test
  void pauseShouldWithdrawTheMemberAndHandItsShardsToTheOthers() {
    harness.joinAll("a", "b", "c");
    ShardGroup a = harness.everyMember.get(0);
    harness.advance(GroupHarness.TIMINGS.retryPeriod());
    assertThat(a.ownedShards()).hasSize(2);

    CompletableFuture<Void> paused = a.pause().toCompletableFuture();
    harness.advance(GroupHarness.TIMINGS.retryPeriod());

    assertThat(paused).isCompleted();
    assertThat(a.isPaused()).isTrue();
    assertThat(a.ownedShards()).isEmpty();
    assertThat(harness.membership.members()).containsExactlyInAnyOrder("b", "c");
    assertThat(harness.counts()).containsEntry("b", 3).containsEntry("c", 3);
  }

  @Test
  void pausedMemberShouldTakeNoShardEvenWhenTheOthersLeave() {
    harness.joinAll("a", "b");
    ShardGroup a = harness.everyMember.get(0);
    harness.advance(GroupHarness.TIMINGS.retryPeriod());
    a.pause();
    harness.advance(GroupHarness.TIMINGS.retryPeriod());

    harness.leave("b");
    harness.advance(GroupHarness.TIMINGS.leaseDuration().multipliedBy(2));

    assertThat(a.ownedShards()).isEmpty();
    assertThat(harness.locks).allMatch(lock -> lock.get().orElseThrow().holderIdentity().isEmpty());
  }

  @Test
  void resumeShouldJoinAgainAndTakeBackAFairShare() {
    harness.joinAll("a", "b", "c");
    ShardGroup a = harness.everyMember.get(0);
    harness.advance(GroupHarness.TIMINGS.retryPeriod());
    a.pause();
    harness.advance(GroupHarness.TIMINGS.retryPeriod());
    assertThat(a.ownedShards()).isEmpty();

    a.resume();
    harness.advance(GroupHarness.TIMINGS.retryPeriod().multipliedBy(3));

    assertThat(a.isPaused()).isFalse();
    assertThat(harness.membership.members()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(harness.counts()).containsEntry("a", 2).containsEntry("b", 2).containsEntry("c", 2);
  }

  @Test
  void pausedShardsShouldEndAsYielded() {
    ShardGroup a = harness.join("a");
    harness.advance(GroupHarness.TIMINGS.retryPeriod());
    assertThat(a.ownedShards()).hasSize(6);

    a.pause();
    harness.advance(GroupHarness.TIMINGS.retryPeriod());

    assertThat(harness.listeners.get("a").events()).filteredOn(event -> event.startsWith("lost"))
        .hasSize(6).allMatch(event -> event.endsWith(" " + StepDownReason.YIELDED));
  }

  @Test
  void groupPausedBeforeStartShouldStartWithoutJoiningOrCompeting() {
    ShardGroup a = harness.build("a");
    a.pause();
    a.start();
    harness.advance(GroupHarness.TIMINGS.leaseDuration());

    assertThat(harness.membership.members()).isEmpty();
    assertThat(a.ownedShards()).isEmpty();

    a.resume();
    harness.advance(GroupHarness.TIMINGS.retryPeriod());

    assertThat(harness.membership.members()).containsExactly("a");
    assertThat(a.ownedShards()).hasSize(6);
  }

  @Test
  void pauseAndResumeAfterCloseShouldDoNothing() {
    ShardGroup a = harness.join("a");
    harness.advance(GroupHarness.TIMINGS.retryPeriod());
    a.closeAsync();
    harness.scheduler.runDue();

    assertThat(a.pause().toCompletableFuture()).isCompleted();
    a.resume();
    harness.advance(GroupHarness.TIMINGS.retryPeriod());

    assertThat(a.isPaused()).isFalse();
    assertThat(harness.membership.members()).isEmpty();
    assertThat(a.ownedShards()).isEmpty();
  }
}
