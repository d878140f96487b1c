package dev.leaderelection.chaos;

import dev.leaderelection.testing.MarkedSection;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code chaos-groups} section of docs/reliability.md ({@code chaos-groups-etcd} on etcd):
 * one sharded chaos run ({@code ShardedChaosIT}), its safety figures added up over the shards and
 * its liveness figures.
 */
final class ShardedReport {

  private ShardedReport() {
  }

  static String markdown(String library, ShardedChecker.ShardedVerdict sharded, int members,
      String timings,
      Map<String, Integer> faultCounts, Map<String, Integer> endReasons, String command) {
    Checker.Verdict verdict = sharded.verdict();
    int faults = faultCounts.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder out = new StringBuilder();
    boolean onEtcd = library.equals(ChaosRunner.ON_ETCD);
    out.append("## Sharded groups under real faults").append(onEtcd ? " (etcd)" : "")
        .append("\n\n")
        .append("Written by `").append(command).append("`.\n\n")
        .append(members).append(" member processes of one `ShardGroup` of ")
        .append(sharded.shards()).append(onEtcd
            ? " shards (an etcd key per shard, members' keys on etcd leases, one jetcd client "
                + "per member)"
            : " shards (a Lease per shard, members by Kubernetes member Leases)")
        .append(", each behind its own Toxiproxy, on timings ").append(timings)
        .append(". Every 100 ms each member checks each shard's term and sends the guarded "
            + "actions of the shards it leads, each fenced by its shard's token. The checker "
            + "runs per shard: no two terms of one shard act at the same moment, no action of a "
            + "shard after a newer term of it began, none accepted below the shard's highest "
            + "token, tokens rising per shard. Liveness is reported, not judged.\n\n")
        .append("| | |\n|---|---|\n")
        .append(row("faults", faults + " " + new TreeMap<>(faultCounts)))
        .append(row("terms (all shards)", Integer.toString(verdict.terms())))
        .append(row("guarded actions", Integer.toString(verdict.actions())))
        .append(row("overlapping terms of one shard", Integer.toString(verdict.overlaps())))
        .append(row("stale actions taken / accepted", verdict.staleActionsPerformed() + " / "
            + verdict.staleActionsAccepted()))
        .append(row("token regressions within a shard",
            Integer.toString(verdict.tokenRegressions())))
        .append(row("recoveries (some shard acted within the bound) missed",
            verdict.missedRecoveries() + " of " + verdict.recoveries()))
        .append(row("every shard acting again after a batch, p50 / p95 / max",
            Checker.percentile(sharded.coverageNanos(), 50) + " / "
                + Checker.percentile(sharded.coverageNanos(), 95) + " / "
                + Checker.percentile(sharded.coverageNanos(), 100) + " ms ("
                + sharded.coverageNanos().size() + " batches; " + sharded.coverageMissed()
                + " not within the patience)"))
        .append(row("shard-seconds without an acting owner", String.format(Locale.ROOT,
            "%.2f %% of %d s × %d shards; at most %d shards in one second",
            sharded.ownerlessPercent(), sharded.seconds(), sharded.shards(),
            sharded.ownerlessMax())))
        .append(row("longest time one shard had no acting owner",
            verdict.longestLeaderlessNanos() / 1_000_000 + " ms"))
        .append(row("paused owners' lag after SIGCONT, p50 / max",
            Checker.percentile(verdict.pausedLagNanos(), 50) + " / "
                + Checker.percentile(verdict.pausedLagNanos(), 100) + " ms ("
                + verdict.pausedLagNanos().size() + " shard terms paused)"))
        .append(row("terms ended, by reason", new TreeMap<>(endReasons).toString()));
    if (!verdict.examples().isEmpty()) {
      out.append("\nWhat the checker found:\n\n```\n")
          .append(String.join("\n\n", verdict.examples())).append("\n```\n");
    }
    return out.toString();
  }

  private static String row(String name, String value) {
    return "| " + name + " | " + value + " |\n";
  }

  static void write(Path file, String library, String markdown) {
    new MarkedSection(file, library.equals(ChaosRunner.ON_ETCD) ? "chaos-groups-etcd"
        : "chaos-groups").write(markdown);
  }
}
