package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.BenchmarkRunner.Mode;
import dev.leaderelection.benchmarks.GroupsRunner.ChangeRow;
import dev.leaderelection.benchmarks.GroupsRunner.Result;
import dev.leaderelection.benchmarks.GroupsRunner.Setup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Writes the groups suite's tables between {@link #START} and {@link #END} of the benchmarks
 * report, leaving the rest of it as it is.
 */
final class GroupsReport {

  static final String START = "<!-- groups:start -->";
  static final String END = "<!-- groups:end -->";

  /** Why Camel's row has no figures. */
  static final String CAMEL_NOT_RUN = "not run: Camel's leadership controller "
      + "(camel-kubernetes' `KubernetesLeadershipController`) takes a lease only while "
      + "its own Pod is among the Running and Ready Pods that carry the cluster labels, and "
      + "this suite's control plane has no kubelet, so a candidate outside a Pod never leads; "
      + "emulating a kubelet would measure this suite, not Camel. By the same code, a leader "
      + "that gives a lease up (as rebalancing asks) holds it one more lease duration before "
      + "releasing it";

  private GroupsReport() {
  }

  /** Replaces (or appends) the groups section of {@code markdown}, creating the file if need be. */
  static void write(List<Result> results, Mode mode, Path markdown, String command, String load)
      throws IOException {
    Files.createDirectories(markdown.getParent());
    String existing = Files.exists(markdown) ? Files.readString(markdown) : "# Benchmarks\n";
    Files.writeString(markdown, Report.replaceSection(existing, START, END,
        section(results, mode, command, load)));
  }

  static String section(List<Result> results, Mode mode, String command, String load) {
    StringBuilder out = new StringBuilder(START).append("\n## Sharded groups against "
        + "independent elections\n\n");
    out.append(String.format(Locale.ROOT, "Written by `%s` (mode %s) on %d cores, Java %s; the "
            + "machine's load average (1 minute) was %s.%n%n", command,
        mode.name().toLowerCase(Locale.ROOT), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), load));
    out.append("""
        N shards (Leases `shards-<i>`) over M member JVMs on one real kube-apiserver: this \
        library's `ShardGroup` (members by `KubernetesLocks.groupMembership`, TTL the lease \
        duration), against N plain `LeaderElector`s per JVM on the same N Leases (what an \
        application does without groups). Each run starts M members and waits until membership \
        was stable for a lease duration and two retry periods with every shard owned (the \
        steady state); then a member joins, the member holding most shards leaves gracefully \
        (SIGTERM: close, which stops each shard's work and releases it), and the member holding \
        most is SIGKILLed. Each change's window lasts until every shard has one live owner and \
        nothing moved for a lease duration and two retry periods (three times that at most). \
        Figures come from the transitions each member printed with `System.nanoTime()` (one \
        monotonic clock for every process on the host): *balanced after* is when every shard \
        last came to have exactly one live owner with at most one shard between the members' \
        counts, measured from the joiner's start of its group (or electors), the SIGTERM or the \
        SIGKILL; *moved* counts shards acquired by another member than their previous owner, \
        against the fewest a balance needs; *longest without owner* is the longest time a \
        shard had no owner (a killed member owns nothing from the signal on). Lease writes and \
        requests (WATCH excluded, member Leases included) are counted by the API server \
        (`apiserver_request_total`) over the window at steady state, the server's own Lease \
        traffic subtracted; a shard's owner renews once per retry period, a member Lease every \
        third of the lease duration.

        """);
    out.append("### At steady state\n\n| approach | shards | members | timings | shards per "
        + "member | spread | unowned | Lease writes/min (N per retry period) | Lease "
        + "requests/min |\n|---|---|---|---|---|---|---|---|---|\n");
    for (Result result : results) {
      Setup setup = result.setup();
      out.append(String.format(Locale.ROOT, "| %s | %,d | %d | %s | %s | %d | %d | %s (%d) "
              + "| %s |%n", result.approach().label, setup.shards(), setup.members(),
          setup.timings().label(), result.steady().counts().values(), result.steady().spread(),
          result.steady().unowned(), result.steady().rates().writes().text(),
          Math.round(setup.shards() * 60_000.0 / setup.timings().retryMillis()),
          result.steady().rates().requests().text()));
    }
    out.append("| Camel `camel-kubernetes` cluster service with `rebalancing` | | | | ")
        .append(CAMEL_NOT_RUN).append(" | | | | |\n");
    out.append("\n### Membership changes\n\n| approach | shards | members before | change | "
        + "balanced after | every shard owned after | moved (fewest needed) | longest without "
        + "owner | spread at the end |\n|---|---|---|---|---|---|---|---|---|\n");
    for (Result result : results) {
      int members = result.setup().members();
      for (ChangeRow row : result.changes()) {
        ShardTimeline.Change change = row.figures();
        out.append(String.format(Locale.ROOT, "| %s | %,d | %d | %s | %s | %s | %d (%d) | %s%s "
                + "| %d |%n", result.approach().label, result.setup().shards(), members,
            row.change(), after(change.balancedAfterNanos(), row.windowNanos()),
            after(change.allOwnedAfterNanos(), row.windowNanos()), change.moves(),
            change.minimalMoves(), millis(change.longestOwnerlessNanos()),
            change.ownerlessAtEnd() ? " (still without owner)" : "", change.spreadAtEnd()));
        members += row.change().equals("join") ? 1 : -1;
      }
    }
    goals(out, results);
    long overlaps = results.stream().mapToLong(result -> result.overlaps().size()).sum();
    out.append(String.format(Locale.ROOT, "%nSafety: %d shard terms overlapped in the printed "
        + "events (a term from when it began by its `acquiredAt` to its loss, or to the SIGKILL).%n",
        overlaps));
    return out.append(END).append('\n').toString();
  }

  /**
   * The goals for this library's groups, each judged on this run's figures (reported,
   * never asserted): spread ≤ 1; a join and a graceful leave balanced within two retry periods
   * plus that change's longest hand-over, a SIGKILL within a lease duration and two retry
   * periods; the fewest moves; and no shard without an owner for 100 ms or more on a join or a
   * graceful leave (one hand-over, tens of milliseconds).
   */
  private static void goals(StringBuilder out, List<Result> results) {
    out.append("\n### Goals (this library's groups)\n\n| goal | result |\n|---|---|\n");
    for (Result result : results) {
      if (result.approach() != GroupsRunner.Approach.GROUP) {
        continue;
      }
      Setup setup = result.setup();
      String of = String.format(Locale.ROOT, "%,d shards over %d (%s)", setup.shards(),
          setup.members(), setup.timings().label());
      Report.goal(out, "spread ≤ 1 at steady state, " + of, result.steady().spread() <= 1
          && result.steady().unowned() == 0, "spread " + result.steady().spread() + ", "
          + result.steady().unowned() + " unowned");
      for (ChangeRow row : result.changes()) {
        ShardTimeline.Change change = row.figures();
        boolean crash = row.change().equals("SIGKILL");
        long bound = crash
            ? (setup.timings().leaseSeconds() * 1000L + 2L * setup.timings().retryMillis())
                * 1_000_000L
            : 2L * setup.timings().retryMillis() * 1_000_000L + change.longestOwnerlessNanos();
        Report.goal(out, row.change() + (crash ? ": balanced within LD + 2 × RP, "
                : ": balanced within 2 × RP plus the hand-over, ") + of,
            change.balancedAfterNanos().isPresent()
                && change.balancedAfterNanos().getAsLong() <= bound,
            after(change.balancedAfterNanos(), row.windowNanos()) + " (bound " + millis(bound)
                + ")");
        Report.goal(out, row.change() + ": the fewest moves, " + of,
            change.moves() <= change.minimalMoves(),
            change.moves() + " moved, " + change.minimalMoves() + " needed");
        if (!crash) {
          Report.goal(out, row.change() + ": no shard without owner for 100 ms, " + of,
              change.longestOwnerlessNanos() < 100_000_000L,
              "longest " + millis(change.longestOwnerlessNanos()));
        }
      }
    }
  }

  /** {@code 1.2 s}, or that it did not happen within the window. */
  static String after(OptionalLong nanos, long windowNanos) {
    return nanos.isPresent() ? millis(nanos.getAsLong())
        : String.format(Locale.ROOT, "not within %.0f s", windowNanos / 1e9);
  }

  /** Milliseconds below 10 s ({@code 85 ms}), seconds above ({@code 15.3 s}). */
  static String millis(long nanos) {
    return nanos < 10_000_000_000L ? String.format(Locale.ROOT, "%.0f ms", nanos / 1e6)
        : String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
