package dev.leaderelection.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The balancing decision alone: shares by rank, what to release, what to compete for. */
class BalanceTest {

  @Test
  void firstRanksShouldGetTheCeilingOfTheShare() {
    SortedSet<String> members = new TreeSet<>(Set.of("c", "a", "e", "b", "d"));

    assertThat(members.stream().map(member -> Balance.fairShare(member, members, 64)))
        .containsExactly(13, 13, 13, 13, 12);
    assertThat(members.stream().mapToInt(member -> Balance.fairShare(member, members, 64)).sum())
        .isEqualTo(64);
  }

  @Test
  void moreMembersThanShardsShouldLeaveTheLastRanksWithNone() {
    SortedSet<String> members = new TreeSet<>(Set.of("a", "b", "c"));

    assertThat(members.stream().map(member -> Balance.fairShare(member, members, 2)))
        .containsExactly(1, 1, 0);
  }

  @Test
  void memberOverItsShareShouldReleaseOnlyTheExcess() {
    List<String> holders = Collections.nCopies(8, "a");

    Balance.Plan plan = Balance.plan("a", Set.of("a", "b"), holders, range(0, 8));

    assertThat(plan.share()).isEqualTo(4);
    assertThat(plan.release()).hasSize(4);
    assertThat(plan.compete()).isEmpty();
  }

  @Test
  void memberAtItsShareShouldNeitherReleaseNorCompete() {
    List<String> holders = List.of("a", "a", "", "");

    Balance.Plan plan = Balance.plan("a", Set.of("a", "b"), holders, range(0, 2));

    assertThat(plan.release()).isEmpty();
    assertThat(plan.compete()).isEmpty();
  }

  @Test
  void memberUnderItsShareShouldCompeteOnlyForFreeOrOrphanedShardsUpToItsDeficit() {
    // shard 0: b (live), 1: free, 2: gone (not live), 3: a without a term, 4 and 5: b (live)
    List<String> holders = List.of("b", "", "gone", "a", "b", "b");

    Balance.Plan plan = Balance.plan("a", Set.of("a", "b"), holders, Set.of());

    assertThat(plan.share()).isEqualTo(3);
    assertThat(plan.compete()).containsExactly(1, 2, 3);
    assertThat(plan.release()).isEmpty();
  }

  @Test
  void memberUnderItsShareWithNoFreeShardShouldFollowTheShardsLiveMembersHold() {
    // a follower takes a live member's shard only if that member stops renewing it
    List<String> holders = List.of("b", "b", "b", "b", "c", "c");

    Balance.Plan plan = Balance.plan("a", Set.of("a", "b", "c"), holders, Set.of());

    assertThat(plan.share()).isEqualTo(2);
    assertThat(plan.compete()).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void memberUnderItsShareWithEnoughFreeShardsShouldLeaveTheShardsLiveMembersHold() {
    List<String> holders = List.of("b", "", "b", "", "c", "c");

    Balance.Plan plan = Balance.plan("a", Set.of("a", "b", "c"), holders, Set.of());

    assertThat(plan.compete()).containsExactly(1, 3);
  }

  @Test
  void memberMissingFromItsOwnViewShouldStillCountItself() {
    Balance.Plan plan = Balance.plan("a", Set.of("b"), Collections.nCopies(4, ""), Set.of());

    assertThat(plan.share()).isEqualTo(2);
    assertThat(plan.compete()).hasSize(2);
  }

  @Test
  void samePlanShouldComeFromTheSameInputs() {
    List<String> holders = Collections.nCopies(64, "");

    assertThat(Balance.plan("a", Set.of("a", "b", "c"), holders, Set.of()))
        .isEqualTo(Balance.plan("a", Set.of("c", "b", "a"), holders, Set.of()));
  }

  @Test
  void membersWithOneViewShouldClaimDifferentFreeShardsAndLeaveNoneUnclaimed() {
    List<String> holders = Collections.nCopies(64, "");
    Set<String> members = Set.of("a", "b", "c", "d");

    List<Set<Integer>> wanted = members.stream()
        .map(member -> (Set<Integer>) Balance.plan(member, members, holders, Set.of()).compete())
        .toList();

    Set<Integer> union = new TreeSet<>();
    wanted.forEach(union::addAll);
    assertThat(wanted).allSatisfy(claims -> assertThat(claims).hasSize(16));
    assertThat(union).as("disjoint claims that cover every free shard").hasSize(64);
  }

  /**
   * A graceful leave: the leaver's shards are free to the others as soon as it left the
   * membership, and the members, deciding from one view, claim all of them between them, each
   * what it lacks, so no shard waits for the losers of a race to decide again.
   */
  @Test
  void leaversShardsShouldAllBeClaimedOnceEachByTheMembersThatLack() {
    Map<Integer, String> owners = settle(List.of("a", "b", "c", "d"), new HashMap<>(), 64);
    List<String> holders = IntStream.range(0, 64).mapToObj(owners::get).toList();
    Set<String> remaining = Set.of("a", "b", "c");

    Map<String, Set<Integer>> claims = new HashMap<>();
    for (String member : remaining) {
      Set<Integer> owned = IntStream.range(0, 64).filter(shard -> holders.get(shard).equals(member))
          .boxed().collect(Collectors.toSet());
      Balance.Plan plan = Balance.plan(member, remaining, holders, owned);
      assertThat(plan.release()).isEmpty();
      assertThat(plan.compete()).hasSize(plan.share() - owned.size());
      claims.put(member, plan.compete());
    }

    Set<Integer> leavers = IntStream.range(0, 64).filter(shard -> holders.get(shard).equals("d"))
        .boxed().collect(Collectors.toSet());
    List<Integer> claimed = claims.values().stream().flatMap(Set::stream).toList();
    assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(leavers);
  }

  @Test
  void memberWhoseClaimsFallShortShouldAlsoCompeteForItsMostPreferredOtherFreeShards() {
    // b holds nothing in a's view but its share is 2: it claims shards a would want as well;
    // a still competes for as many free shards as it lacks.
    List<String> holders = List.of("", "", "", "c", "c", "c");

    Balance.Plan plan = Balance.plan("a", Set.of("a", "b", "c"), holders, Set.of());

    assertThat(plan.share()).isEqualTo(2);
    assertThat(plan.compete()).hasSize(2).isSubsetOf(0, 1, 2);
  }

  /**
   * The decisions alone, applied in rounds until nothing changes (a release frees a shard, each
   * member under its share takes the free shards it competes for, first come first served):
   * spread within one, and a join moves N / (M + 1) shards.
   */
  @Test
  void repeatedPlansShouldBalanceAndAJoinShouldMoveOnlyTheNewShare() {
    Map<Integer, String> owners = settle(List.of("a", "b", "c"), new HashMap<>(), 64);
    assertThat(counts(owners, List.of("a", "b", "c"))).containsExactly(22, 21, 21);

    Map<Integer, String> after = settle(List.of("a", "b", "c", "d"), new HashMap<>(owners), 64);

    assertThat(counts(after, List.of("a", "b", "c", "d"))).containsExactly(16, 16, 16, 16);
    assertThat(IntStream.range(0, 64).filter(shard -> !owners.get(shard).equals(after.get(shard))))
        .hasSize(16);
  }

  private static Map<Integer, String> settle(List<String> members, Map<Integer, String> owners,
      int shards) {
    for (int round = 0; round < 100; round++) {
      boolean changed = false;
      for (String member : members) {
        List<String> holders = IntStream.range(0, shards)
            .mapToObj(shard -> owners.getOrDefault(shard, "")).toList();
        Set<Integer> owned = owners.entrySet().stream().filter(entry -> entry.getValue()
            .equals(member)).map(Map.Entry::getKey).collect(Collectors.toSet());
        Balance.Plan plan = Balance.plan(member, Set.copyOf(members), holders, owned);
        for (int shard : plan.release()) {
          owners.remove(shard);
          changed = true;
        }
        for (int shard : plan.compete()) {
          changed |= owners.putIfAbsent(shard, member) == null;
        }
      }
      if (!changed) {
        return owners;
      }
    }
    throw new AssertionError("no balance after 100 rounds: " + owners);
  }

  private static List<Integer> counts(Map<Integer, String> owners, List<String> members) {
    List<Integer> counts = new ArrayList<>();
    members.forEach(member -> counts.add((int) owners.values().stream().filter(member::equals)
        .count()));
    return counts;
  }

  private static Set<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().collect(Collectors.toSet());
  }
}
