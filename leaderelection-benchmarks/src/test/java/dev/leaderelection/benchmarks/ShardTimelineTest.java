package dev.leaderelection.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ShardTimelineTest {

  private static final long MS = 1_000_000L;

  @Test
  void printedLinesShouldParseToEventsAndOtherLinesToNothing() {
    assertThat(ShardEvent.parse("a", "ACQUIRED 3 17 5000 4990"))
        .contains(new ShardEvent("a", true, 3, 17, 5000, 4990, ""));
    assertThat(ShardEvent.parse("a", "LOST 3 17 6000 YIELDED"))
        .contains(new ShardEvent("a", false, 3, 17, 6000, 6000, "YIELDED"));
    assertThat(ShardEvent.parse("a", "ACQUIRED 3 17 5000 5200")).get()
        .extracting(ShardEvent::begunNanos).as("a term never begins after its listener ran")
        .isEqualTo(5000L);
    assertThat(ShardEvent.parse("a", "READY 12")).isEmpty();
    assertThat(ShardEvent.parse("a", "ACQUIRED x 17 5000 4990")).isEmpty();
    assertThat(ShardEvent.parse("a", "[main] INFO ShardGroup - LOST 3 shards")).isEmpty();
  }

  @Test
  void eventsShouldPrintAsTheLinesTheyParseFrom() {
    ShardEvent acquired = new ShardEvent("", true, 5, 2, 100, 90, "");
    ShardEvent lost = new ShardEvent("", false, 5, 2, 200, 200, "RELEASED");

    assertThat(ShardEvent.parse("", acquired.line())).contains(acquired);
    assertThat(ShardEvent.parse("", lost.line())).contains(lost);
  }

  @Test
  void spreadShouldCountMembersWithoutShardsAsZero() {
    ShardTimeline timeline = ShardTimeline.of(List.of(acquired("a", 0, 10), acquired("a", 1, 10),
        acquired("b", 2, 10)), 3);

    assertThat(ShardTimeline.spread(timeline.stateAt(20 * MS).counts(List.of("a", "b", "c"))
        .values())).isEqualTo(2);
    assertThat(timeline.stateAt(20 * MS).allOwnedBy(List.of("a", "b"))).isTrue();
    assertThat(timeline.stateAt(5 * MS).unowned()).isEqualTo(3);
  }

  @Test
  void minimalMovesShouldKeepEachMembersShardsUpToItsTarget() {
    // 64 over 3 (22/21/21), then a fourth joins: each target 16, 6+5+5 = 16 must move.
    assertThat(ShardTimeline.minimalMoves(List.of(22, 21, 21, 0), 64)).isEqualTo(16);
    // A leaver's 16 shards are gone from the counts: they all move.
    assertThat(ShardTimeline.minimalMoves(List.of(16, 16, 16), 64)).isEqualTo(16);
    // One member holds everything: a join of 3 more moves three quarters.
    assertThat(ShardTimeline.minimalMoves(List.of(64, 0, 0, 0), 64)).isEqualTo(48);
    // Balanced already: nothing to move; ceilings go to the fullest members.
    assertThat(ShardTimeline.minimalMoves(List.of(21, 22, 21), 64)).isZero();
    assertThat(ShardTimeline.minimalMoves(List.of(), 64)).isZero();
  }

  @Test
  void joinShouldCountMovesHandOffGapsAndWhenBalanced() {
    List<ShardEvent> events = new ArrayList<>(List.of(acquired("a", 0, 0), acquired("a", 1, 0),
        acquired("a", 2, 0), acquired("a", 3, 0)));
    // b joins at 1000 ms; a hands off shard 2 (b takes it 30 ms later), then shard 3 (50 ms).
    events.addAll(List.of(lost("a", 2, 1100), acquired("b", 2, 1130), lost("a", 3, 1200),
        acquired("b", 3, 1250)));

    ShardTimeline.Change change = ShardTimeline.of(events, 4)
        .change(1000 * MS, 5000 * MS, List.of("a", "b"));

    assertThat(change.balancedAfterNanos()).isEqualTo(OptionalLong.of(250 * MS));
    // Each hand-off leaves its shard without owner for a moment: owned again at the last one.
    assertThat(change.allOwnedAfterNanos()).isEqualTo(OptionalLong.of(250 * MS));
    assertThat(change.moves()).isEqualTo(2);
    assertThat(change.minimalMoves()).isEqualTo(2);
    assertThat(change.longestOwnerlessNanos()).isEqualTo(50 * MS);
    assertThat(change.ownerlessAtEnd()).isFalse();
    assertThat(change.spreadAtEnd()).isZero();
  }

  @Test
  void crashShouldBeOwnerlessFromTheKillUntilTakenOver() {
    List<ShardEvent> events = new ArrayList<>(List.of(acquired("a", 0, 0), acquired("b", 1, 0)));
    ShardTimeline before = ShardTimeline.of(events, 2);
    // b is killed at 1000 ms holding shard 1; a takes it over after the lease expired.
    events.addAll(before.goneAt("b", 1000 * MS, "KILLED"));
    events.add(acquired("a", 1, 16_000));

    ShardTimeline.Change change = ShardTimeline.of(events, 2)
        .change(1000 * MS, 30_000 * MS, List.of("a"));

    assertThat(before.goneAt("b", 1000 * MS, "KILLED"))
        .containsExactly(ShardEvent.gone("b", 1, 2, 1000 * MS, "KILLED"));
    assertThat(change.longestOwnerlessNanos()).isEqualTo(15_000 * MS);
    assertThat(change.balancedAfterNanos()).isEqualTo(OptionalLong.of(15_000 * MS));
    assertThat(change.moves()).isEqualTo(1);
    assertThat(change.minimalMoves()).isEqualTo(1);
  }

  @Test
  void independentElectionsAfterAJoinShouldNeverBalance() {
    List<ShardEvent> events = List.of(acquired("a", 0, 0), acquired("a", 1, 0),
        acquired("a", 2, 0));

    ShardTimeline.Change change = ShardTimeline.of(events, 3)
        .change(1000 * MS, 20_000 * MS, List.of("a", "b"));

    assertThat(change.balancedAfterNanos()).isEmpty();
    assertThat(change.allOwnedAfterNanos()).isEqualTo(OptionalLong.of(0));
    assertThat(change.moves()).isZero();
    assertThat(change.minimalMoves()).isEqualTo(1);
    assertThat(change.spreadAtEnd()).isEqualTo(3);
  }

  @Test
  void shardStillWithoutOwnerAtTheEndShouldCountUntilTheWindowEnds() {
    List<ShardEvent> events = List.of(acquired("a", 0, 0), lost("a", 0, 2000));

    ShardTimeline.Change change = ShardTimeline.of(events, 1)
        .change(1000 * MS, 5000 * MS, List.of("b"));

    assertThat(change.longestOwnerlessNanos()).isEqualTo(3000 * MS);
    assertThat(change.ownerlessAtEnd()).isTrue();
    assertThat(change.balancedAfterNanos()).isEmpty();
    assertThat(change.allOwnedAfterNanos()).isEmpty();
  }

  @Test
  void aMoveBackShouldCountAsAnotherMove() {
    List<ShardEvent> events = List.of(acquired("a", 0, 0), lost("a", 0, 1100),
        acquired("b", 0, 1120), lost("b", 0, 1500), acquired("a", 0, 1530));

    ShardTimeline.Change change = ShardTimeline.of(events, 1)
        .change(1000 * MS, 5000 * MS, List.of("a", "b"));

    assertThat(change.moves()).isEqualTo(2);
    assertThat(change.longestOwnerlessNanos()).isEqualTo(30 * MS);
  }

  @Test
  void handOverAfterTheLossShouldNotOverlap() {
    List<ShardEvent> events = List.of(acquired("a", 0, 0), lost("a", 0, 1000),
        new ShardEvent("b", true, 0, 2, 1030 * MS, 1010 * MS, ""));

    assertThat(ShardTimeline.of(events, 1).overlaps()).isEmpty();
  }

  @Test
  void termBegunBeforeThePreviousOwnersLossShouldOverlap() {
    List<ShardEvent> events = List.of(acquired("a", 0, 0), lost("a", 0, 1000),
        new ShardEvent("b", true, 0, 2, 1030 * MS, 990 * MS, ""));

    assertThat(ShardTimeline.of(events, 1).overlaps())
        .containsExactly("shard 0: a (token 1) and b (token 2), which began 10.0 ms before the "
            + "first's loss (YIELDED)");
  }

  @Test
  void termOfAMemberThatNeverLostShouldOverlapAnyLaterTerm() {
    List<ShardEvent> events = List.of(acquired("a", 0, 0), acquired("b", 0, 20_000));

    assertThat(ShardTimeline.of(events, 1).overlaps()).hasSize(1);
  }

  private static ShardEvent acquired(String member, int shard, long millis) {
    long token = member.equals("a") ? 1 : 2;
    return new ShardEvent(member, true, shard, token, millis * MS, millis * MS, "");
  }

  private static ShardEvent lost(String member, int shard, long millis) {
    long token = member.equals("a") ? 1 : 2;
    return new ShardEvent(member, false, shard, token, millis * MS, millis * MS, "YIELDED");
  }
}
