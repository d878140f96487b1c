package dev.leaderelection.chaos;

import dev.leaderelection.chaos.FencedResource.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link Checker} applied to each shard of a sharded run: each shard's actions against the
 * shard's own history ({@link History#shard(int)}), so no two terms of one shard may act at the
 * same moment, no action of a shard may be taken after a newer term of that shard began or be
 * accepted below the shard's highest accepted token, and each shard's tokens strictly increase
 * (terms of different shards may overlap, and their tokens are unrelated). Recoveries are the
 * run's (some shard acted again after each batch, within the bound, as the plain checker asks).
 * Liveness is reported, never judged: how long until every shard acted again after each batch,
 * and how many shards had no acting owner in each second of the run.
 */
final class ShardedChecker {

  private static final long SECOND = 1_000_000_000L;

  /**
   * What the checker found.
   *
   * @param verdict the shards' verdicts added up (terms, actions, violations; the longest time
   *     without a leader is the longest of any one shard) and the run's recoveries
   * @param coverageNanos after each batch, how long until every shard acted again (-1: not within
   *     the harness's patience)
   * @param ownerlessPercent of the shard-seconds from when every shard had first acted to the
   *     last action, the share in which the shard took no action
   * @param ownerlessMax the most shards without an action in any one second
   * @param seconds how many whole seconds the ownerless figures cover
   */
  record ShardedVerdict(Checker.Verdict verdict, int shards, List<Long> coverageNanos,
      int coverageMissed, double ownerlessPercent, int ownerlessMax, long seconds) {

    boolean safe() {
      return verdict.safe();
    }
  }

  private ShardedChecker() {
  }

  static ShardedVerdict check(History history, List<Action> actions, int shards) {
    Map<Integer, List<Action>> byShard = new TreeMap<>();
    for (int shard = 0; shard < shards; shard++) {
      byShard.put(shard, new ArrayList<>());
    }
    for (Action action : actions) {
      byShard.computeIfAbsent(action.shard(), any -> new ArrayList<>()).add(action);
    }
    Map<Integer, History> histories = history.shards();
    int terms = 0;
    int overlaps = 0;
    int stalePerformed = 0;
    int staleAccepted = 0;
    int regressions = 0;
    int pausedBegins = 0;
    long longestOwnerless = 0;
    List<Long> pausedLags = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    for (Map.Entry<Integer, List<Action>> shard : byShard.entrySet()) {
      History shardHistory = histories.getOrDefault(shard.getKey(), new History());
      Checker.Verdict verdict = Checker.check(shardHistory, shard.getValue());
      terms += verdict.terms();
      overlaps += verdict.overlaps();
      stalePerformed += verdict.staleActionsPerformed();
      staleAccepted += verdict.staleActionsAccepted();
      regressions += verdict.tokenRegressions();
      pausedBegins += verdict.pausedBegins();
      longestOwnerless = Math.max(longestOwnerless, verdict.longestLeaderlessNanos());
      pausedLags.addAll(verdict.pausedLagNanos());
      if (!verdict.examples().isEmpty() && examples.size() < 3) {
        examples.add("shard " + shard.getKey() + ": "
            + String.join("\n\n", verdict.examples()));
      }
    }
    List<History.Recovery> recoveries = history.recoveries();
    List<History.Recovery> missed = recoveries.stream().filter(History.Recovery::missed).toList();
    missed.stream().findFirst().ifPresent(first -> examples.add("missed recovery after "
        + first.after() + ": " + (first.leaderNanos() < 0 ? "no shard acted"
        : "a shard acted " + Checker.ms(first.leaderNanos() - first.fromNanos())
            + " after it cleared") + ", bound " + Checker.ms(first.boundNanos())));
    Checker.Verdict combined = new Checker.Verdict(terms, actions.size(), overlaps,
        stalePerformed, staleAccepted, regressions, recoveries.size(), missed.size(),
        longestOwnerless, pausedLags, List.of(), List.of(), pausedBegins, 0, examples);

    List<Long> coverage = new ArrayList<>();
    int coverageMissed = 0;
    for (History.Coverage one : history.coverages()) {
      if (one.allNanos() < 0) {
        coverageMissed++;
      } else {
        coverage.add(one.allNanos() - one.fromNanos());
      }
    }
    long[] ownerless = ownerless(byShard, shards);
    return new ShardedVerdict(combined, shards, coverage, coverageMissed,
        ownerless[2] == 0 ? 0 : 100.0 * ownerless[0] / (ownerless[2] * (double) shards),
        (int) ownerless[1], ownerless[2]);
  }

  /**
   * Shards without an action, second by second, from the moment every shard had first acted to
   * the last action of the run: {total shard-seconds without one, the most in one second, the
   * number of seconds}. All zero when some shard never acted.
   */
  static long[] ownerless(Map<Integer, List<Action>> byShard, int shards) {
    long start = Long.MIN_VALUE;
    long end = Long.MIN_VALUE;
    for (int shard = 0; shard < shards; shard++) {
      List<Action> actions = byShard.getOrDefault(shard, List.of());
      if (actions.isEmpty()) {
        return new long[3];
      }
      long first = actions.stream().mapToLong(Action::checkedNanos).min().getAsLong();
      long last = actions.stream().mapToLong(Action::checkedNanos).max().getAsLong();
      start = Math.max(start, first);
      end = Math.max(end, last);
    }
    int seconds = (int) ((end - start) / SECOND);
    if (seconds <= 0) {
      return new long[3];
    }
    long total = 0;
    long most = 0;
    boolean[][] acted = new boolean[shards][seconds];
    for (int shard = 0; shard < shards; shard++) {
      for (Action action : byShard.get(shard)) {
        long second = (action.checkedNanos() - start) / SECOND;
        if (second >= 0 && second < seconds) {
          acted[shard][(int) second] = true;
        }
      }
    }
    for (int second = 0; second < seconds; second++) {
      int without = 0;
      for (int shard = 0; shard < shards; shard++) {
        if (!acted[shard][second]) {
          without++;
        }
      }
      total += without;
      most = Math.max(most, without);
    }
    return new long[] {total, most, seconds};
  }
}
