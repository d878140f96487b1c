package dev.leaderelection.chaos;

import dev.leaderelection.testing.MarkedSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code chaos-apiservers} section of docs/reliability.md: chaos runs on several API servers
 * over one etcd, their safety figures and their takeover times by fault kind
 * ({@link TakeoverTimes}, kept beside each run's {@link Result} in a {@code .takeovers} file).
 */
final class ApiServerReport {

  private ApiServerReport() {
  }

  /** Keeps {@code times} beside {@code result} in {@code folder}. */
  static void save(Path folder, Result result, TakeoverTimes times) throws IOException {
    result.save(folder);
    Files.writeString(folder.resolve(result.fileName() + ".takeovers"), times.encode());
  }

  /** The section for every run kept in {@code folder}, written by {@code command}. */
  static String markdown(Path folder, int apiServers, String command, String peerVersions)
      throws IOException {
    List<Result> results = Result.loadAll(folder);
    StringBuilder out = new StringBuilder("## Several API servers over one etcd\n\n")
        .append("Written by `").append(command).append("` on ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append("; the peers are ")
        .append(peerVersions).append(". ").append(apiServers)
        .append(" kube-apiservers (each its own port and watch cache) run over one etcd, each "
            + "reaching it through a proxy of its own; candidate i talks to API server i mod ")
        .append(apiServers).append(" through its own proxy. API server 0 also carries the "
            + "harness's view of the lease and takes no API-server fault; the others are "
            + "restarted (`apiserver-restart`: killed while the batch holds, started as it "
            + "clears), have their etcd connection slowed by 0.2 s to 0.2 s + the renew deadline "
            + "(`apiserver-etcd-slow`: every answer and watch event from etcd late, so its "
            + "watches lag the others') or cut (`apiserver-etcd-cut`); `etcd-restart` kills the "
            + "one etcd under all of them. The other faults are the chaos schedule's.\n\n")
        .append("| library | timings | faults | overlaps | stale actions performed / accepted "
            + "| token regressions | missed recoveries | longest time without a leader |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    for (Result result : results) {
      out.append("| ").append(result.library()).append(" | ").append(result.timings())
          .append(" | ").append(result.faults()).append(" | ").append(result.overlaps())
          .append(" | ").append(result.staleActionsPerformed()).append(" / ")
          .append(result.staleActionsAccepted()).append(" | ")
          .append(result.tokenRegressions()).append(" | ").append(result.missedRecoveries())
          .append(" of ").append(result.recoveries()).append(" | ")
          .append(result.longestLeaderless()).append(" ms |\n");
    }
    out.append("\nTakeover times by fault: a takeover is a change of the lease's holder to a "
        + "candidate from another holder (a candidate, or the foreign writer, whose write starts "
        + "the lease over) as the harness's watch saw it (not after a release, which hands "
        + "over at once), timed from the old holder's last change of the lease to the new "
        + "holder's first, and counted under every fault kind of the batch it happened in "
        + "(`none`: between batches). A follower takes over only once the lease has not changed "
        + "for its duration since it saw the last change, so a lagging watch delays a takeover "
        + "and never hastens it: the minimum stays at the lease duration (less the few "
        + "milliseconds by which the harness's own watch saw the last change late), and the "
        + "lag shows in the upper percentiles.\n\n")
        .append("| library | timings | fault | takeovers | min | p50 | p95 | max "
            + "| under the lease duration |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (Result result : results) {
      Path file = folder.resolve(result.fileName() + ".takeovers");
      String encoded = Files.exists(file) ? Files.readString(file).trim() : "";
      for (String entry : encoded.isEmpty() ? new String[0] : encoded.split(";")) {
        String kind = entry.substring(0, entry.indexOf('='));
        String[] countAndTimes = entry.substring(entry.indexOf('=') + 1).split(":");
        String[] times = countAndTimes[1].split("/");
        out.append("| ").append(result.library()).append(" | ").append(result.timings())
            .append(" | ").append(kind).append(" | ").append(countAndTimes[0]);
        for (String time : times) {
          out.append(" | ").append(time).append(" ms");
        }
        out.append(" | ").append(countAndTimes.length > 2 ? countAndTimes[2] : "–")
            .append(" |\n");
      }
    }
    out.append("\nFaults injected, by kind; how the candidates' terms ended:\n\n");
    for (Result result : results) {
      out.append("- ").append(result.library()).append(' ').append(result.timings())
          .append(", ").append(result.candidates()).append(" candidates: ")
          .append(result.faultCounts()).append("; ").append(result.actions())
          .append(" actions; terms ended by reason ").append(result.endReasons()).append('\n');
    }
    List<String> found = new ArrayList<>();
    for (Result result : results) {
      if (!result.examples().isEmpty()) {
        found.add("\n### What the checker found in " + result.library() + ' '
            + result.timings() + "\n\n```\n" + result.examples() + "\n```\n");
      }
    }
    found.forEach(out::append);
    return out.toString();
  }

  /** Writes the section into {@code file}, keeping the others. */
  static void write(Path file, String markdown) {
    new MarkedSection(file, "chaos-apiservers").write(markdown);
  }
}
