package dev.leaderelection.chaos;

import dev.leaderelection.chaos.FencedResource.Action;
import dev.leaderelection.chaos.History.Crash;
import dev.leaderelection.chaos.History.Fault;
import dev.leaderelection.chaos.History.Pause;
import dev.leaderelection.chaos.History.Recovery;
import dev.leaderelection.chaos.History.Renewal;
import dev.leaderelection.chaos.History.Term;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a whole chaos history: (1) no two terms ever act at the same moment; (2) no action is
 * taken after a newer term began, and the fenced resource accepts none of a lower token than one
 * it accepted; (3) fencing tokens strictly increase from term to term; (4) after every fault
 * clears, a leader acts again within the bound; (5) no term of this library begins while the
 * harness has paused its elector ({@code pause()}); (6) how long a paused leader keeps acting after
 * SIGCONT. A term's acting interval runs from its first to its last guarded action: the moments
 * its candidate checked that it led. Each failed check keeps one window of history showing it.
 */
final class Checker {

  private static final long MILLI = 1_000_000;

  /** The acting interval of one term: its guarded actions' first and last check. */
  record Acting(String identity, long token, long firstNanos, long lastNanos) {

    String key() {
      return identity + "#" + token;
    }
  }

  /** What the checker found. */
  record Verdict(int terms, int actions, int overlaps, int staleActionsPerformed,
      int staleActionsAccepted, int tokenRegressions, int recoveries, int missedRecoveries,
      long longestLeaderlessNanos, List<Long> pausedLagNanos, List<Long> takeoverFromSignalNanos,
      List<Long> takeoverFromLastRenewNanos, int pausedBegins, int leaseChanges,
      List<String> examples) {

    boolean safe() {
      return overlaps == 0 && staleActionsAccepted == 0 && staleActionsPerformed == 0
          && tokenRegressions == 0 && missedRecoveries == 0 && pausedBegins == 0;
    }
  }

  private Checker() {
  }

  static Verdict check(History history, List<Action> actions) {
    List<String> examples = new ArrayList<>();
    List<Acting> acting = acting(actions);
    int overlaps = overlaps(acting, actions, history.faults(), examples);
    Map<Long, Long> newerBegins = earliestNewerBegin(history.terms(), acting);
    int stalePerformed = 0;
    int staleAccepted = 0;
    long highestAccepted = -1;
    for (Action action : actions) {
      Long newer = newerBegins.get(action.token());
      if (newer != null && newer < action.checkedNanos()) {
        stalePerformed++;
        if (stalePerformed == 1) {
          examples.add("stale action: " + action.identity() + " acted with token "
              + action.token() + " " + ms(action.checkedNanos() - newer)
              + " after a newer term began\n" + window(actions, newer, action.checkedNanos(),
                  List.of(action.identity() + "#" + action.token())));
        }
      }
      if (action.accepted() && action.token() < highestAccepted) {
        staleAccepted++;
      }
      if (action.accepted()) {
        highestAccepted = Math.max(highestAccepted, action.token());
      }
    }
    int regressions = tokenRegressions(history.terms(), acting, examples);
    List<Recovery> recoveries = history.recoveries();
    List<Recovery> missed = recoveries.stream().filter(Recovery::missed).toList();
    missed.stream().findFirst().ifPresent(first -> examples.add("missed recovery after "
        + first.after() + ": " + (first.leaderNanos() < 0 ? "no leader"
        : "a leader " + ms(first.leaderNanos() - first.fromNanos())
            + " after it cleared (or the leader let go)")
        + ", bound " + ms(first.boundNanos()) + "\n" + leaseChanges(history.renewals(),
            first.fromNanos(), first.fromNanos() + first.boundNanos() + 5_000 * MILLI)
        + "\n" + window(actions, first.fromNanos(), first.fromNanos() + first.boundNanos()
            + 5_000 * MILLI, List.of())));
    history.pausedBegins().stream().findFirst().ifPresent(first -> examples.add(
        "term begun while paused: " + first.identity() + " began token " + first.token()
            + " after pause() and before resume()"));
    return new Verdict(history.terms().size(), actions.size(), overlaps, stalePerformed,
        staleAccepted, regressions, recoveries.size(), missed.size(), longestLeaderless(acting),
        pausedLags(history.pauses(), actions), takeovers(history, acting, false),
        takeovers(history, acting, true), history.pausedBegins().size(),
        history.renewals().size(), examples);
  }

  static List<Acting> acting(List<Action> actions) {
    Map<String, Acting> byTerm = new LinkedHashMap<>();
    for (Action action : actions) {
      byTerm.merge(action.identity() + "#" + action.token(),
          new Acting(action.identity(), action.token(), action.checkedNanos(),
              action.checkedNanos()),
          (a, b) -> new Acting(a.identity(), a.token(), Math.min(a.firstNanos(), b.firstNanos()),
              Math.max(a.lastNanos(), b.lastNanos())));
    }
    List<Acting> sorted = new ArrayList<>(byTerm.values());
    sorted.sort(Comparator.comparingLong(Acting::firstNanos));
    return sorted;
  }

  private static int overlaps(List<Acting> acting, List<Action> actions, List<Fault> faults,
      List<String> examples) {
    int overlaps = 0;
    for (int i = 0; i < acting.size(); i++) {
      for (int j = i + 1; j < acting.size(); j++) {
        Acting earlier = acting.get(i);
        Acting later = acting.get(j);
        if (later.firstNanos() > earlier.lastNanos()) {
          break;
        }
        overlaps++;
        if (overlaps == 1) {
          examples.add("overlap: " + earlier.key() + " acted until " + ms(earlier.lastNanos()
              - later.firstNanos()) + " after " + later.key() + " began acting\n"
              + window(actions, later.firstNanos(), earlier.lastNanos(),
                  List.of(earlier.key(), later.key()))
              + "\n" + faultsBefore(faults, later.firstNanos()));
        }
      }
    }
    return overlaps;
  }

  /** For each token: the earliest moment a term with a larger token began, if any. */
  private static Map<Long, Long> earliestNewerBegin(List<Term> terms, List<Acting> acting) {
    TreeMap<Long, Long> beginByToken = new TreeMap<>();
    for (Term term : terms) {
      beginByToken.merge(term.token(), term.beginNanos(), Math::min);
    }
    for (Acting interval : acting) {
      beginByToken.merge(interval.token(), interval.firstNanos(), Math::min);
    }
    Map<Long, Long> newer = new HashMap<>();
    Long earliest = null;
    for (Map.Entry<Long, Long> entry : beginByToken.descendingMap().entrySet()) {
      if (earliest != null) {
        newer.put(entry.getKey(), earliest);
      }
      earliest = earliest == null ? entry.getValue() : Math.min(earliest, entry.getValue());
    }
    return newer;
  }

  /**
   * Terms whose token is not above the token of the term that began before them. A term began at
   * the earlier of its reported BEGIN and its first guarded action (as for stale actions): a
   * report can come late (a candidate frozen before it printed it), an action taken under the
   * term proves it had begun.
   */
  private static int tokenRegressions(List<Term> terms, List<Acting> acting,
      List<String> examples) {
    Map<String, Long> firstActed = new HashMap<>();
    acting.forEach(interval -> firstActed.put(interval.key(), interval.firstNanos()));
    List<Term> sorted = new ArrayList<>();
    for (Term term : terms) {
      Long acted = firstActed.get(term.identity() + "#" + term.token());
      sorted.add(acted == null || acted >= term.beginNanos() ? term
          : new Term(term.identity(), term.token(), acted));
    }
    sorted.sort(Comparator.comparingLong(Term::beginNanos));
    int regressions = 0;
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).token() <= sorted.get(i - 1).token()) {
        regressions++;
        if (regressions == 1) {
          examples.add("token regression: " + sorted.get(i - 1) + " then " + sorted.get(i));
        }
      }
    }
    return regressions;
  }

  private static long longestLeaderless(List<Acting> acting) {
    long longest = 0;
    long coveredUntil = Long.MIN_VALUE;
    for (Acting interval : acting) {
      if (coveredUntil != Long.MIN_VALUE && interval.firstNanos() > coveredUntil) {
        longest = Math.max(longest, interval.firstNanos() - coveredUntil);
      }
      coveredUntil = Math.max(coveredUntil, interval.lastNanos());
    }
    return longest;
  }

  /** How long each paused leader kept acting with its old token after SIGCONT (0: not at all). */
  private static List<Long> pausedLags(List<Pause> pauses, List<Action> actions) {
    List<Long> lags = new ArrayList<>();
    for (Pause pause : pauses) {
      long lag = actions.stream()
          .filter(action -> action.identity().equals(pause.identity())
              && action.token() == pause.token() && action.checkedNanos() > pause.continuedNanos())
          .mapToLong(action -> action.checkedNanos() - pause.continuedNanos()).max().orElse(0);
      lags.add(lag);
    }
    return lags;
  }

  /**
   * For each leader killed while its term was live ({@link #live}): how long until another
   * candidate's term acted, from the SIGKILL or from the killed leader's last renewal the harness
   * saw. (The crashed candidate restarted under its own identity may take its own lease back at
   * once; that is not a takeover.)
   */
  private static List<Long> takeovers(History history, List<Acting> acting,
      boolean fromLastRenew) {
    List<Long> takeovers = new ArrayList<>();
    List<Renewal> renewals = history.renewals();
    for (Crash crash : history.crashes()) {
      if (!live(crash, renewals)) {
        continue;
      }
      Optional<Acting> next = acting.stream()
          .filter(interval -> interval.firstNanos() > crash.killedNanos()).findFirst()
          .filter(interval -> !interval.identity().equals(crash.identity()));
      if (next.isEmpty()) {
        continue;
      }
      long from = crash.killedNanos();
      if (fromLastRenew) {
        Optional<Long> lastRenew = renewals.stream()
            .filter(renewal -> renewal.holder().equals(crash.identity())
                && renewal.seenNanos() <= crash.killedNanos())
            .map(Renewal::seenNanos).max(Long::compare);
        if (lastRenew.isEmpty()) {
          continue;
        }
        from = lastRenew.get();
      }
      takeovers.add(next.get().firstNanos() - from);
    }
    return takeovers;
  }

  /**
   * Whether the killed candidate's term was live: the last change of the lease the harness saw
   * before the kill was its own renewal, less than a lease duration before. A candidate that still
   * believed it led after losing its term (to a partition, say) long before is not a crashed
   * leader: someone else may already lead, and its last renewal is no start of a takeover.
   */
  static boolean live(Crash crash, List<Renewal> renewals) {
    return renewals.stream().filter(renewal -> renewal.seenNanos() <= crash.killedNanos())
        .max(Comparator.comparingLong(Renewal::seenNanos))
        .filter(last -> last.holder().equals(crash.identity())
            && crash.killedNanos() - last.seenNanos() < crash.leaseNanos())
        .isPresent();
  }

  /**
   * The window of history that shows a violation: the actions of {@code terms} (and of any term
   * acting then) from shortly before {@code from} to {@code to}, at most 16 lines, in ms from
   * {@code from}.
   */
  static String window(List<Action> actions, long from, long to, List<String> terms) {
    long start = from - 200 * MILLI;
    List<Action> shown = actions.stream()
        .filter(action -> action.checkedNanos() >= start && action.checkedNanos() <= to)
        .sorted(Comparator.comparingLong(Action::checkedNanos)).toList();
    StringBuilder out = new StringBuilder("  window (ms from the newer term's first action; "
        + "terms " + terms + "):");
    int lines = 0;
    for (Action action : shown) {
      if (lines++ == 16) {
        out.append("\n  … ").append(shown.size() - 16).append(" more actions until +")
            .append((to - from) / MILLI).append(" ms");
        break;
      }
      out.append(String.format(Locale.ROOT, "\n  %+d ms ", (action.checkedNanos() - from) / MILLI))
          .append(action.identity()).append(" acted with token ").append(action.token())
          .append(action.accepted() ? ", accepted" : ", rejected by the fenced resource");
    }
    return out.toString();
  }

  /**
   * The lease's changes the harness saw from a second before {@code from} to {@code to}, in ms
   * from {@code from}: each run of renewals by one holder as one line, at most 16 lines.
   */
  static String leaseChanges(List<Renewal> renewals, long from, long to) {
    StringBuilder out = new StringBuilder("  lease (ms from the start of the bound):");
    String holder = null;
    int lines = 0;
    for (Renewal renewal : renewals) {
      if (renewal.seenNanos() < from - 1_000 * MILLI || renewal.seenNanos() > to
          || renewal.holder().equals(holder)) {
        continue;
      }
      holder = renewal.holder();
      if (lines++ == 16) {
        out.append("\n  …");
        break;
      }
      out.append(String.format(Locale.ROOT, "\n  %+d ms %s", (renewal.seenNanos() - from) / MILLI,
          holder.isEmpty() ? "released" : "held by " + holder));
    }
    return out.toString();
  }

  /** The faults injected in the 15 s before {@code at}, in ms from it, at most 12 lines. */
  static String faultsBefore(List<Fault> faults, long at) {
    List<Fault> shown = faults.stream().filter(fault -> fault.injectedNanos() <= at
        && fault.injectedNanos() >= at - 15_000 * MILLI).toList();
    StringBuilder out = new StringBuilder("  faults injected in the 15 s before (ms from the "
        + "newer term's first action):");
    for (Fault fault : shown.subList(Math.max(0, shown.size() - 12), shown.size())) {
      out.append(String.format(Locale.ROOT, "\n  %+d ms %s at %s",
          (fault.injectedNanos() - at) / MILLI, fault.kind(), fault.target()));
    }
    return out.toString();
  }

  static String ms(long nanos) {
    return Duration.ofNanos(nanos).toMillis() + " ms";
  }

  static long percentile(List<Long> values, double percentile) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = values.stream().sorted().toList();
    int index = (int) Math.ceil(percentile / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / MILLI;
  }
}
