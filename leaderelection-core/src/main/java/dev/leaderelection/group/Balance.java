package dev.leaderelection.group;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * One member's balancing decision, a pure function of what it knows: the live members, who holds
 * each shard, and which shards it owns. It decides only what this member competes for, never who
 * leads: every shard stays an ordinary election, so a wrong input costs balance, never safety.
 *
 * <ul>
 *   <li><b>Fair share.</b> The members, this one included, sorted by {@link String#compareTo}: of
 *       {@code N} shards over {@code M} members, the first {@code N mod M} aim at
 *       {@code ⌈N/M⌉}, the others at {@code ⌊N/M⌋}. Every member computes the same shares from
 *       the same set, so they add up to {@code N} and do not flap.
 *   <li><b>Over its share</b> a member releases the excess, the shards it prefers least.
 *   <li><b>Under its share</b> it competes for as many shards as it lacks, the ones it prefers
 *       most among the free: no holder, or a holder that is not a live member (its lease will
 *       expire), or itself without a term. When fewer are free than it lacks, it also competes
 *       for the shards live members hold, as a follower does: it never writes a lease its holder
 *       renews, so it takes such a shard only once the holder stopped renewing it (a member that
 *       lost its term, say to a network fault, but not its membership, and whose share is full,
 *       would otherwise leave the shard without a leader for ever).
 *   <li><b>Preference</b> is rendezvous hashing: member {@code m} prefers shard {@code s} by the
 *       unsigned MurmurHash3 of {@code m + "/" + s}, smallest first. Members thus want different
 *       free shards, and a shard stays where it is unless a share changed (sticky: a join moves
 *       about {@code N/(M+1)} shards, a leave only the leaver's).
 * </ul>
 */
final class Balance {

  private Balance() {
  }

  /**
   * What {@code self} does now.
   *
   * @param live the live members as last seen ({@code self} counts even when missing)
   * @param holders each shard's holder as observed, by shard index; {@code ""} when free
   * @param owned the shards {@code self} leads now
   */
  static Plan plan(String self, Set<String> live, List<String> holders, Set<Integer> owned) {
    SortedSet<String> members = new TreeSet<>(live);
    members.add(self);
    int share = fairShare(self, members, holders.size());
    long[] preference = preferences(self, holders.size());
    Comparator<Integer> preferred =
        Comparator.<Integer>comparingLong(shard -> preference[shard]).thenComparing(shard -> shard);
    if (owned.size() > share) {
      List<Integer> leastPreferredFirst =
          owned.stream().sorted(preferred.reversed()).limit(owned.size() - share).toList();
      return new Plan(share, new TreeSet<>(leastPreferredFirst), new TreeSet<>());
    }
    int lacking = share - owned.size();
    List<Integer> notOwned = IntStream.range(0, holders.size()).boxed()
        .filter(shard -> !owned.contains(shard)).toList();
    List<Integer> free = notOwned.stream()
        .filter(shard -> isFree(holders.get(shard), self, members))
        .sorted(preferred).limit(lacking).toList();
    // Fewer free than lacking: wait on the others too, as a follower, which takes a shard only
    // once its holder stopped renewing it (a member that lost its term but not its membership).
    return new Plan(share, new TreeSet<>(), new TreeSet<>(free.size() < lacking ? notOwned : free));
  }

  /** The share of {@code self} among {@code members} (which contain it) of {@code shards}. */
  static int fairShare(String self, SortedSet<String> members, int shards) {
    int rank = members.headSet(self).size();
    int count = members.size();
    return shards / count + (rank < shards % count ? 1 : 0);
  }

  private static boolean isFree(String holder, String self, Set<String> members) {
    return holder.isEmpty() || holder.equals(self) || !members.contains(holder);
  }

  /** How much {@code self} prefers each shard: the smaller, the more. */
  private static long[] preferences(String self, int shards) {
    long[] preference = new long[shards];
    for (int shard = 0; shard < shards; shard++) {
      preference[shard] = Integer.toUnsignedLong(
          ShardKeys.murmur3((self + "/" + shard).getBytes(StandardCharsets.UTF_8)));
    }
    return preference;
  }

  /**
   * A member's decision.
   *
   * @param share the number of shards it aims at
   * @param release owned shards to hand off (stop work, release)
   * @param compete shards not owned to compete for; every other shard it does not own it leaves
   */
  record Plan(int share, SortedSet<Integer> release, SortedSet<Integer> compete) {

    Plan {
      release = Collections.unmodifiableSortedSet(release);
      compete = Collections.unmodifiableSortedSet(compete);
    }
  }
}
