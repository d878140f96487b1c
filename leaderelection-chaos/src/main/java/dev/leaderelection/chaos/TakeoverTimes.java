package dev.leaderelection.chaos;

import dev.leaderelection.chaos.History.Fault;
import dev.leaderelection.chaos.History.Recovery;
import dev.leaderelection.chaos.History.Renewal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Takeovers by the faults in effect. A takeover is a change of the lease's holder from one
 * identity to another as the harness saw it (not after a release: that hands over at once), and
 * takes the time from the old holder's last change of the lease to the new holder's first (both
 * seen by the harness's own watch, on one clock). A follower may take over only after the lease
 * has not changed for its duration since <em>it</em> saw the last change, so a follower whose API
 * server's watches lag takes over later, never earlier: every takeover takes at least the lease
 * duration, less how late the harness's own watch saw the last change. A takeover counts under
 * every fault kind of the batch it happened in (from the batch's first fault until its recovery),
 * or under {@code none} between batches.
 */
final class TakeoverTimes {

  /** Takeover times in nanoseconds, by fault kind. */
  private final Map<String, List<Long>> byKind = new TreeMap<>();

  private TakeoverTimes() {
  }

  static TakeoverTimes of(History history) {
    return of(history, List.of(), identity -> 0);
  }

  /**
   * As {@link #of(History)}; besides, a takeover counts under {@code apiserver-etcd-slow (the new
   * leader's API server)} when the new leader's API server's etcd connection was slowed at some
   * time between the old holder's last change and the takeover (its watch lagged: the takeover
   * may come later, never earlier), and under {@code apiserver-etcd-slow (another API server)}
   * when only another one's was.
   */
  static TakeoverTimes of(History history, List<ApiServersStore.Held> held,
      java.util.function.ToIntFunction<String> apiServerOf) {
    TakeoverTimes times = new TakeoverTimes();
    List<Renewal> renewals = history.renewals().stream()
        .sorted(Comparator.comparingLong(Renewal::seenNanos)).toList();
    List<long[]> windows = new ArrayList<>();
    List<List<Fault>> batches = new ArrayList<>();
    batches(history, windows, batches);
    for (int i = 1; i < renewals.size(); i++) {
      Renewal last = renewals.get(i - 1);
      Renewal first = renewals.get(i);
      if (last.holder().isEmpty() || first.holder().isEmpty()
          || last.holder().equals(first.holder())) {
        continue;
      }
      long at = first.seenNanos();
      long took = at - last.seenNanos();
      TreeSet<String> kinds = new TreeSet<>();
      for (int b = 0; b < windows.size(); b++) {
        if (at > windows.get(b)[0] && at <= windows.get(b)[1]) {
          batches.get(b).stream().filter(fault -> fault.injectedNanos() <= at)
              .forEach(fault -> kinds.add(fault.kind()));
          break;
        }
      }
      if (kinds.isEmpty()) {
        kinds.add("none");
      }
      long from = last.seenNanos();
      int takersApiServer = apiServerOf.applyAsInt(first.holder());
      List<ApiServersStore.Held> slowed = held.stream()
          .filter(fault -> fault.kind().equals(ApiServersStore.ETCD_SLOW)
              && fault.overlaps(from, at)).toList();
      if (slowed.stream().anyMatch(fault -> fault.apiServer() == takersApiServer)) {
        kinds.add(ApiServersStore.ETCD_SLOW + " (the new leader's API server)");
      } else if (!slowed.isEmpty()) {
        kinds.add(ApiServersStore.ETCD_SLOW + " (another API server)");
      }
      kinds.forEach(kind -> times.byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(took));
    }
    return times;
  }

  /**
   * The batches: each recovery closes one, holding the faults injected since the one before
   * closed; {@code windows} get (previous close, this close] in nanoseconds.
   */
  private static void batches(History history, List<long[]> windows, List<List<Fault>> batches) {
    List<Fault> faults = history.faults();
    long previous = Long.MIN_VALUE;
    for (Recovery recovery : history.recoveries()) {
      long close = recovery.leaderNanos() >= 0 ? recovery.leaderNanos()
          : recovery.fromNanos() + recovery.boundNanos();
      long from = previous;
      List<Fault> batch = faults.stream()
          .filter(fault -> fault.injectedNanos() > from && fault.injectedNanos() <= close)
          .toList();
      long opened = batch.stream().mapToLong(Fault::injectedNanos).min().orElse(close);
      windows.add(new long[] {opened, close});
      batches.add(batch);
      previous = close;
    }
  }

  /** Takeover times in milliseconds by fault kind: count, min, p50, p95 and max. */
  Map<String, long[]> summary() {
    Map<String, long[]> summary = new TreeMap<>();
    byKind.forEach((kind, nanos) -> summary.put(kind, new long[] {nanos.size(),
        Checker.percentile(nanos, 0), Checker.percentile(nanos, 50),
        Checker.percentile(nanos, 95), Checker.percentile(nanos, 100)}));
    return summary;
  }

  /** As {@link #summary()}, in one line: {@code kind=count:min/p50/p95/max;...} (ms). */
  String encode() {
    StringBuilder out = new StringBuilder();
    summary().forEach((kind, figures) -> out.append(out.length() == 0 ? "" : ";").append(kind)
        .append('=').append(figures[0]).append(':').append(figures[1]).append('/')
        .append(figures[2]).append('/').append(figures[3]).append('/').append(figures[4]));
    return out.toString();
  }
}
