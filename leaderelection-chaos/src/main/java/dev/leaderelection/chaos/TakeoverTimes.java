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

  /**
   * The holder the harness's foreign writer sets ({@code ChaosRunner}'s {@code kubectl edit}): a
   * change to it is no takeover, a change from it is (its write starts the lease over).
   */
  private static final String FOREIGN_HOLDER = "kubectl-edit";

  /** Takeover times in nanoseconds, by fault kind. */
  private final Map<String, List<Long>> byKind = new TreeMap<>();
  private final long leaseNanos;

  private TakeoverTimes(long leaseNanos) {
    this.leaseNanos = leaseNanos;
  }

  static TakeoverTimes of(History history, long leaseNanos) {
    return of(history, List.of(), identity -> 0, leaseNanos);
  }

  /**
   * As {@link #of(History)}; besides, a takeover counts under {@code apiserver-etcd-slow (the new
   * leader's API server)} when the new leader's API server's etcd connection was slowed at some
   * time between the old holder's last change and the takeover (its watch lagged: the takeover
   * may come later, never earlier), and under {@code apiserver-etcd-slow (another API server)}
   * when only another one's was.
   */
  static TakeoverTimes of(History history, List<ApiServersStore.Held> held,
      java.util.function.ToIntFunction<String> apiServerOf, long leaseNanos) {
    TakeoverTimes times = new TakeoverTimes(leaseNanos);
    List<Renewal> renewals = history.renewals().stream()
        .sorted(Comparator.comparingLong(Renewal::seenNanos)).toList();
    List<long[]> windows = new ArrayList<>();
    List<List<Fault>> batches = new ArrayList<>();
    batches(history, windows, batches);
    for (int i = 1; i < renewals.size(); i++) {
      Renewal last = renewals.get(i - 1);
      Renewal first = renewals.get(i);
      if (last.holder().isEmpty() || first.holder().isEmpty()
          || last.holder().equals(first.holder()) || first.holder().equals(FOREIGN_HOLDER)) {
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

  /**
   * Takeover times by fault kind: count, min, p50, p95 and max in milliseconds, and how many took
   * less than the lease duration as the harness saw them.
   */
  Map<String, long[]> summary() {
    Map<String, long[]> summary = new TreeMap<>();
    byKind.forEach((kind, nanos) -> summary.put(kind, new long[] {nanos.size(),
        Checker.percentile(nanos, 0), Checker.percentile(nanos, 50),
        Checker.percentile(nanos, 95), Checker.percentile(nanos, 100),
        nanos.stream().filter(took -> took < leaseNanos).count()}));
    return summary;
  }

  /**
   * As {@link #summary()}, in one line: {@code kind=count:min/p50/p95/max:under;...} (ms; under:
   * how many took less than the lease duration).
   */
  String encode() {
    StringBuilder out = new StringBuilder();
    summary().forEach((kind, figures) -> out.append(out.length() == 0 ? "" : ";").append(kind)
        .append('=').append(figures[0]).append(':').append(figures[1]).append('/')
        .append(figures[2]).append('/').append(figures[3]).append('/').append(figures[4])
        .append(':').append(figures[5]));
    return out.toString();
  }

  /**
   * Writes what the takeovers were computed from, one event a line in time order (ms on the
   * host's monotonic clock): lease changes the harness saw, faults, API-server faults held,
   * recoveries. For reading a run again by hand.
   */
  static void writeEvents(java.nio.file.Path file, History history,
      List<ApiServersStore.Held> held) throws java.io.IOException {
    List<Map.Entry<Long, String>> lines = new ArrayList<>();
    history.renewals().forEach(renewal -> lines.add(Map.entry(renewal.seenNanos(),
        "lease " + (renewal.holder().isEmpty() ? "(released)" : renewal.holder()))));
    history.faults().forEach(fault -> lines.add(Map.entry(fault.injectedNanos(),
        "fault " + fault.kind() + " at " + fault.target())));
    held.forEach(fault -> lines.add(Map.entry(fault.fromNanos(), "apiserver-" + fault.apiServer()
        + " " + fault.kind() + " until +" + (fault.toNanos() - fault.fromNanos()) / 1_000_000
        + " ms")));
    history.recoveries().forEach(recovery -> lines.add(Map.entry(recovery.fromNanos(),
        "cleared " + recovery.after() + ", a leader acted "
            + (recovery.leaderNanos() < 0 ? "never"
                : "+" + (recovery.leaderNanos() - recovery.fromNanos()) / 1_000_000 + " ms"))));
    lines.sort(Map.Entry.comparingByKey());
    StringBuilder out = new StringBuilder();
    long origin = lines.isEmpty() ? 0 : lines.get(0).getKey();
    lines.forEach(line -> out.append((line.getKey() - origin) / 1_000_000).append(' ')
        .append(line.getValue()).append('\n'));
    java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
    java.nio.file.Files.writeString(file, out);
  }
}
