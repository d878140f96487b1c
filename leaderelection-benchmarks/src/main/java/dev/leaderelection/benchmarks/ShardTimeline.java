package dev.leaderelection.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The shards' transitions of every member process of one run, in time order, and what they show:
 * who held each shard when, the spread over the live members, what a membership change moved and
 * how long a shard went without an owner, and whether two members ever held a shard at once.
 * Pure: the harness feeds it the events it read (and a loss for each shard of a process that died
 * holding it).
 */
final class ShardTimeline {

  private final List<ShardEvent> events;
  private final int shards;

  private ShardTimeline(List<ShardEvent> events, int shards) {
    this.events = events;
    this.shards = shards;
  }

  /** The timeline of {@code events} (in any order) of a group of {@code shards} shards. */
  static ShardTimeline of(Collection<ShardEvent> events, int shards) {
    List<ShardEvent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(ShardEvent::nanos));
    return new ShardTimeline(sorted, shards);
  }

  /** What a membership change did, from the change to the end of its window. */
  record Change(OptionalLong balancedAfterNanos, OptionalLong allOwnedAfterNanos, int moves,
      int minimalMoves, long longestOwnerlessNanos, boolean ownerlessAtEnd, int spreadAtEnd) {
  }

  /** Each shard's holders after every event up to and including {@code nanos}. */
  State stateAt(long nanos) {
    State state = new State(shards);
    for (ShardEvent event : events) {
      if (event.nanos() > nanos) {
        break;
      }
      state.apply(event);
    }
    return state;
  }

  /** The time of the last event; {@code Long.MIN_VALUE} if there is none. */
  long lastEventNanos() {
    return events.isEmpty() ? Long.MIN_VALUE : events.get(events.size() - 1).nanos();
  }

  /**
   * The losses of every shard {@code member} still holds after all its events, stamped
   * {@code nanos} or its last event's time if later: what a process that was killed or exited
   * holding shards can no longer print.
   */
  List<ShardEvent> goneAt(String member, long nanos, String reason) {
    Map<Integer, Long> held = new LinkedHashMap<>();
    long last = nanos;
    for (ShardEvent event : events) {
      if (event.member().equals(member)) {
        last = Math.max(last, event.nanos());
        if (event.acquired()) {
          held.put(event.shard(), event.token());
        } else {
          held.remove(event.shard());
        }
      }
    }
    long at = last;
    return held.entrySet().stream()
        .map(entry -> ShardEvent.gone(member, entry.getKey(), entry.getValue(), at, reason))
        .toList();
  }

  /**
   * What happened from a membership change at {@code from} to {@code to}, with {@code live} the
   * members after it: when the group was last balanced from then on (every shard held by exactly
   * one live member, spread ≤ 1), when every shard was last held by exactly one live member, the
   * shards acquired by another member than their previous holder, the fewest moves a balance
   * needs, and the longest time a shard had no holder at all.
   */
  Change change(long from, long to, Collection<String> live) {
    State state = new State(shards);
    int next = 0;
    for (; next < events.size() && events.get(next).nanos() <= from; next++) {
      state.apply(events.get(next));
    }
    int minimal = minimalMoves(state.counts(live).values(), shards);
    long[] ownerlessSince = new long[shards];
    for (int shard = 0; shard < shards; shard++) {
      ownerlessSince[shard] = state.holders(shard).isEmpty() ? from : -1;
    }
    long balancedSince = state.balanced(live) ? from : -1;
    long allOwnedSince = state.allOwnedBy(live) ? from : -1;
    long longest = 0;
    int moves = 0;
    for (; next < events.size() && events.get(next).nanos() <= to; next++) {
      ShardEvent event = events.get(next);
      moves += state.apply(event) ? 1 : 0;
      int shard = event.shard();
      boolean ownerless = state.holders(shard).isEmpty();
      if (ownerless && ownerlessSince[shard] < 0) {
        ownerlessSince[shard] = event.nanos();
      } else if (!ownerless && ownerlessSince[shard] >= 0) {
        longest = Math.max(longest, event.nanos() - ownerlessSince[shard]);
        ownerlessSince[shard] = -1;
      }
      balancedSince = state.balanced(live) ? (balancedSince < 0 ? event.nanos() : balancedSince)
          : -1;
      allOwnedSince = state.allOwnedBy(live)
          ? (allOwnedSince < 0 ? event.nanos() : allOwnedSince) : -1;
    }
    boolean open = false;
    for (long since : ownerlessSince) {
      if (since >= 0) {
        open = true;
        longest = Math.max(longest, to - since);
      }
    }
    return new Change(after(balancedSince, from), after(allOwnedSince, from), moves, minimal,
        longest, open, spread(state.counts(live).values()));
  }

  /**
   * Every pair of terms of one shard held by two members at once: a term runs from when it
   * began ({@link ShardEvent#begunNanos()}) to its loss, or forever without one.
   */
  List<String> overlaps() {
    Map<Integer, List<Term>> terms = new HashMap<>();
    Map<String, ShardEvent> open = new HashMap<>();
    for (ShardEvent event : events) {
      String key = event.member() + "#" + event.shard();
      if (event.acquired()) {
        open.put(key, event);
      } else {
        ShardEvent began = open.remove(key);
        if (began != null) {
          terms.computeIfAbsent(event.shard(), shard -> new ArrayList<>())
              .add(new Term(began, event.nanos(), event.reason()));
        }
      }
    }
    open.values().forEach(began -> terms.computeIfAbsent(began.shard(), shard ->
        new ArrayList<>()).add(new Term(began, Long.MAX_VALUE, "none")));
    List<String> overlaps = new ArrayList<>();
    terms.forEach((shard, list) -> {
      for (int i = 0; i < list.size(); i++) {
        for (int j = i + 1; j < list.size(); j++) {
          Term a = list.get(i);
          Term b = list.get(j);
          if (!a.began().member().equals(b.began().member())
              && a.began().begunNanos() < b.end() && b.began().begunNanos() < a.end()) {
            Term first = a.began().begunNanos() <= b.began().begunNanos() ? a : b;
            Term second = first == a ? b : a;
            overlaps.add(String.format(Locale.ROOT, "shard %d: %s (token %d) and %s (token %d), "
                    + "which began %s before the first's loss (%s)", shard,
                first.began().member(), first.began().token(), second.began().member(),
                second.began().token(), first.end() == Long.MAX_VALUE ? "any time"
                    : String.format(Locale.ROOT, "%.1f ms",
                        (first.end() - second.began().begunNanos()) / 1e6),
                first.reason()));
          }
        }
      }
    });
    return overlaps;
  }

  /** Max − min of the shards per member (members that hold none count as 0); 0 if none. */
  static int spread(Collection<Integer> counts) {
    return counts.isEmpty() ? 0 : counts.stream().max(Integer::compare).orElseThrow()
        - counts.stream().min(Integer::compare).orElseThrow();
  }

  /**
   * The fewest shards that must change holder for {@code counts} (the shards each live member
   * holds) to become balanced over {@code shards} shards: each member keeps at most its target
   * (⌈N/M⌉ for the {@code N mod M} members that hold most, ⌊N/M⌋ for the others); every other
   * shard (a leaver's, a free one, a surplus) moves once.
   */
  static int minimalMoves(Collection<Integer> counts, int shards) {
    if (counts.isEmpty()) {
      return 0;
    }
    List<Integer> sorted = new ArrayList<>(counts);
    sorted.sort(Comparator.reverseOrder());
    int members = sorted.size();
    int kept = 0;
    for (int i = 0; i < members; i++) {
      int target = shards / members + (i < shards % members ? 1 : 0);
      kept += Math.min(sorted.get(i), target);
    }
    return shards - kept;
  }

  private static OptionalLong after(long since, long from) {
    return since < 0 ? OptionalLong.empty() : OptionalLong.of(since - from);
  }

  private record Term(ShardEvent began, long end, String reason) {
  }

  /** Each shard's holders, and the member that acquired it last. */
  static final class State {

    private final List<Set<String>> holders = new ArrayList<>();
    private final String[] lastAcquirer;

    State(int shards) {
      for (int shard = 0; shard < shards; shard++) {
        holders.add(new LinkedHashSet<>());
      }
      lastAcquirer = new String[shards];
    }

    /** Applies {@code event}; true when it is a move (acquired by another than the last). */
    boolean apply(ShardEvent event) {
      if (!event.acquired()) {
        holders.get(event.shard()).remove(event.member());
        return false;
      }
      holders.get(event.shard()).add(event.member());
      boolean moved = !event.member().equals(lastAcquirer[event.shard()]);
      lastAcquirer[event.shard()] = event.member();
      return moved;
    }

    Set<String> holders(int shard) {
      return holders.get(shard);
    }

    /** The shards each of {@code live} holds, 0 for none, in the order given. */
    Map<String, Integer> counts(Collection<String> live) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      live.forEach(member -> counts.put(member, 0));
      for (Set<String> shardHolders : holders) {
        shardHolders.stream().filter(counts::containsKey)
            .forEach(member -> counts.merge(member, 1, Integer::sum));
      }
      return counts;
    }

    /** Whether every shard has exactly one holder, one of {@code live}. */
    boolean allOwnedBy(Collection<String> live) {
      return holders.stream().allMatch(set -> set.size() == 1
          && live.contains(set.iterator().next()));
    }

    /** Every shard held by exactly one live member, and their counts at most 1 apart. */
    boolean balanced(Collection<String> live) {
      return allOwnedBy(live) && spread(counts(live).values()) <= 1;
    }

    /** Shards with no holder at all. */
    int unowned() {
      return (int) holders.stream().filter(Set::isEmpty).count();
    }
  }
}
