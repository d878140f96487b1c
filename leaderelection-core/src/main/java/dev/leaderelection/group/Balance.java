package dev.leaderelection.group;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 *   <li><b>Under its share</b> it competes for as many shards as it lacks among the free: no
 *       holder, or a holder that is not a live member (its lease will expire), or itself without
 *       a term. The free shards are shared out among all the members under their share, as every
 *       member computes it from the same view ({@link #claims}): each claims its most preferred
 *       free shards that no member preferring them more claims, as many as it lacks. Members
 *       thus compete for different shards, and a leave's shards all find a claimant at once,
 *       instead of the losers of a race trying again after the winners took theirs. A member
 *       whose claims fall short of what it lacks (views differ for a moment, or fewer are free
 *       than the members lack) also competes for its most preferred free shards claimed by
 *       others. When fewer are free than it lacks, it also competes for the shards live members
 *       hold, as a follower does: it never writes a lease its holder renews, so it takes such a
 *       shard only once the holder stopped renewing it (a member that lost its term, say to a
 *       network fault, but not its membership, and whose share is full, would otherwise leave
 *       the shard without a leader for ever).
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
    return plan(self, live, holders, owned, new Preferences(holders.size()));
  }

  /** As {@link #plan(String, Set, List, Set)}, with the members' preferences kept between plans. */
  static Plan plan(String self, Set<String> live, List<String> holders, Set<Integer> owned,
      Preferences preferences) {
    SortedSet<String> members = new TreeSet<>(live);
    members.add(self);
    preferences.retainOnly(members);
    int share = fairShare(self, members, holders.size());
    long[] preference = preferences.of(self);
    Comparator<Integer> preferred =
        Comparator.<Integer>comparingLong(shard -> preference[shard]).thenComparing(shard -> shard);
    if (owned.size() > share) {
      List<Integer> leastPreferredFirst =
          owned.stream().sorted(preferred.reversed()).limit(owned.size() - share).toList();
      return new Plan(share, new TreeSet<>(leastPreferredFirst), new TreeSet<>());
    }
    int lacking = share - owned.size();
    if (lacking == 0) {
      return new Plan(share, new TreeSet<>(), new TreeSet<>());
    }
    List<Integer> notOwned = IntStream.range(0, holders.size()).boxed()
        .filter(shard -> !owned.contains(shard)).toList();
    List<Integer> free = notOwned.stream()
        .filter(shard -> isFree(holders.get(shard), self, members)).sorted(preferred).toList();
    if (free.size() < lacking) {
      // Fewer free than lacking: wait on the others too, as a follower, which takes a shard only
      // once its holder stopped renewing it (a member that lost its term but not its membership).
      return new Plan(share, new TreeSet<>(), new TreeSet<>(notOwned));
    }
    SortedSet<Integer> compete = new TreeSet<>(
        claims(self, members, holders, owned.size(), free, preferences)
            .getOrDefault(self, List.of()));
    for (int shard : free) { // claims short of the deficit: the most preferred of the rest too
      if (compete.size() >= lacking) {
        break;
      }
      compete.add(shard);
    }
    return new Plan(share, new TreeSet<>(), compete);
  }

  /**
   * The free shards shared out among the members under their share, as every member computes it
   * from the same view: the pairs of a lacking member and a free shard, taken by ascending
   * preference (then member, then shard), each giving the shard to the member unless the shard
   * is claimed already or the member has claimed what it lacks. A member's holdings are the
   * shards the view names it holder of; {@code self}'s are {@code ownedBySelf}.
   *
   * @param free the free shards
   * @return each lacking member's claims, in the order they were made
   */
  static Map<String, List<Integer>> claims(String self, SortedSet<String> members,
      List<String> holders, int ownedBySelf, List<Integer> free, Preferences preferences) {
    Map<String, Integer> held = new HashMap<>();
    for (String holder : holders) {
      if (!holder.equals(self) && members.contains(holder)) {
        held.merge(holder, 1, Integer::sum);
      }
    }
    held.put(self, ownedBySelf);
    Map<String, Integer> lacking = new HashMap<>();
    List<Pair> pairs = new ArrayList<>();
    for (String member : members) {
      int lacks = fairShare(member, members, holders.size()) - held.getOrDefault(member, 0);
      if (lacks > 0) {
        lacking.put(member, lacks);
        long[] preference = preferences.of(member);
        for (int shard : free) {
          pairs.add(new Pair(preference[shard], member, shard));
        }
      }
    }
    pairs.sort(Comparator.comparingLong(Pair::preference).thenComparing(Pair::member)
        .thenComparingInt(Pair::shard));
    Set<Integer> claimed = new HashSet<>();
    Map<String, List<Integer>> claims = new HashMap<>();
    for (Pair pair : pairs) {
      int lacks = lacking.get(pair.member());
      if (lacks > 0 && claimed.add(pair.shard())) {
        claims.computeIfAbsent(pair.member(), member -> new ArrayList<>()).add(pair.shard());
        lacking.put(pair.member(), lacks - 1);
      }
    }
    return claims;
  }

  /** A lacking member's preference for a free shard. */
  private record Pair(long preference, String member, int shard) {
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

  /**
   * How much each member prefers each shard, the smaller the more: the unsigned MurmurHash3 of
   * {@code member + "/" + shard}. Kept for the members of the last view only. Not thread-safe:
   * one member's decisions, made one at a time, use it.
   */
  static final class Preferences {

    private final int shards;
    private final Map<String, long[]> byMember = new HashMap<>();

    Preferences(int shards) {
      this.shards = shards;
    }

    long[] of(String member) {
      return byMember.computeIfAbsent(member, this::compute);
    }

    void retainOnly(Set<String> members) {
      byMember.keySet().retainAll(members);
    }

    private long[] compute(String member) {
      long[] preference = new long[shards];
      for (int shard = 0; shard < shards; shard++) {
        preference[shard] = Integer.toUnsignedLong(
            ShardKeys.murmur3((member + "/" + shard).getBytes(StandardCharsets.UTF_8)));
      }
      return preference;
    }
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
