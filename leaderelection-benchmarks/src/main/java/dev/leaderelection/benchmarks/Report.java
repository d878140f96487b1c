package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.BenchmarkRunner.Results;
import dev.leaderelection.benchmarks.BenchmarkRunner.Timings;
import dev.leaderelection.benchmarks.BenchmarkRunner.Traffic;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** Writes the results as a Markdown table with ratios to each peer, and a PNG of box plots. */
final class Report {

  static final String OURS = "leaderelection";

  private Report() {
  }

  static final String ETCD_START = "<!-- etcd:start -->";
  static final String ETCD_END = "<!-- etcd:end -->";
  static final String SCALE_START = "<!-- scale:start -->";
  static final String SCALE_END = "<!-- scale:end -->";

  /**
   * Writes the report and its chart. A run of the etcd or scale suite alone replaces only its
   * section of an existing report (the startup suite only the startup part of the scale
   * section, the latency suite only its rows), and a run of the Kubernetes suite alone keeps
   * them, so each section says the command that produced it.
   */
  static void write(Results results, Path markdown, Path chart, String command)
      throws IOException {
    Files.createDirectories(markdown.getParent());
    String existing = Files.exists(markdown) ? Files.readString(markdown) : "";
    Map<String, String> sections = new LinkedHashMap<>();
    sections.put(ETCD_START, results.suite.etcd() ? etcdSection(results, command)
        : section(existing, ETCD_START, ETCD_END).orElse(""));
    String scale = results.suite.scale() ? ScaleReport.section(results, command)
        : section(existing, SCALE_START, SCALE_END).orElse("");
    sections.put(SCALE_START, switch (results.suite) {
      case STARTUP -> ScaleReport.withStartup(scale, results, command);
      case LATENCY -> LatencyReport.withLatencies(scale, results, command);
      default -> scale;
    });
    // The groups suite writes its own section (GroupsReport); every other run keeps it.
    sections.put(GroupsReport.START,
        section(existing, GroupsReport.START, GroupsReport.END).map(text -> "\n" + text)
            .orElse(""));
    if (!results.suite.kubernetes()) {
      String text = existing.isEmpty() ? "# Benchmarks\n" : existing;
      text = replaceSection(text, ETCD_START, ETCD_END, sections.get(ETCD_START));
      text = replaceSection(text, SCALE_START, SCALE_END, sections.get(SCALE_START));
      Files.writeString(markdown, text);
      return;
    }
    Files.writeString(markdown, markdown(results, chart.getFileName().toString(), command,
        String.join("", sections.values())));
    writeChart(results, chart);
  }

  /** The section from {@code start} to {@code end} and its line break, if {@code text} has one. */
  static Optional<String> section(String text, String start, String end) {
    int from = text.indexOf(start);
    int to = text.indexOf(end);
    return from >= 0 && to > from
        ? Optional.of(text.substring(from, Math.min(text.length(), to + end.length() + 1)))
        : Optional.empty();
  }

  /** {@code text} with its section replaced by {@code section}, or appended when it has none. */
  static String replaceSection(String text, String start, String end, String section) {
    if (section.isEmpty()) {
      return text;
    }
    Optional<String> old = section(text, start, end);
    return old.isPresent() ? text.replace(old.get(), section) : text + "\n" + section;
  }

  static String markdown(Results results, String chartName, String command, String sections) {
    StringBuilder out = new StringBuilder();
    out.append("# Benchmarks\n\n");
    out.append("Written by `").append(command).append("` (mode ")
        .append(results.mode.name().toLowerCase(Locale.ROOT)).append(", ")
        .append(results.mode.trials).append(" trial(s) per cell) on ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name"))
        .append(". Each candidate is its own JVM against one real kube-apiserver; a crash is ")
        .append("SIGKILL of the leader, a handover SIGTERM of the next leader. Times run from ")
        .append("the signal to the moment another candidate printed that it leads.\n\n");
    out.append("Peers: the official Java client's `LeaderElector` (client-java-extended 25.0.0, ")
        .append("the newest on Maven Central; no release on shutdown) and fabric8's ")
        .append("`LeaderElector` (kubernetes-client ")
        .append(io.fabric8.kubernetes.client.Version.clientVersion())
        .append(", release on cancel).\n\n");
    for (String kind : List.of("crash failover", "graceful handover")) {
      out.append("## ").append(Character.toUpperCase(kind.charAt(0))).append(kind.substring(1))
          .append(" (ms)\n\n");
      distributions(out, results, kind, BenchmarkRunner.libraries());
    }
    out.append("## Lease requests per minute at steady state (").append(
        BenchmarkRunner.DEFAULTS.label()).append(")\n\n");
    out.append("Counted by the API server (`apiserver_request_total`, resource leases, WATCH "
        + "excluded, the server's own lease traffic subtracted).\n\n");
    traffic(out, results, BenchmarkRunner.libraries());
    out.append("\n![failover and handover distributions](").append(chartName).append(")\n");
    goals(results, out);
    if (!sections.isEmpty()) {
      out.append('\n').append(sections);
    }
    return out.toString();
  }

  /** The etcd rows: this library's etcd lock against jetcd's Election, on one real etcd. */
  static String etcdSection(Results results, String command) {
    StringBuilder out = new StringBuilder(ETCD_START).append("\n## etcd: this library against "
        + "jetcd's `Election`\n\n");
    out.append("Written by `").append(command).append("` (mode ")
        .append(results.mode.name().toLowerCase(Locale.ROOT)).append(", ")
        .append(results.mode.trials).append(" trial(s) per cell) on ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(". Three candidate JVMs on one real "
            + "etcd 3.6.8: `leaderelection-etcd` is this library's elector on an "
            + "`EtcdLeaseLock`; `jetcd-election` is jetcd 0.8.7's `Election` API as its users "
            + "write it (campaign on an etcd lease whose TTL is the lease duration, kept alive by "
            + "jetcd every TTL/3; on SIGTERM resign and revoke). The renew deadline and retry "
            + "period do not apply to jetcd's election.\n\n");
    List<String> libraries = List.of(EtcdBackend.OURS, EtcdBackend.JETCD);
    for (String kind : List.of("crash failover", "graceful handover")) {
      out.append("### ").append(Character.toUpperCase(kind.charAt(0))).append(kind.substring(1))
          .append(" (ms)\n\n");
      distributions(out, results, kind, libraries);
    }
    out.append("### Requests per minute at steady state (")
        .append(BenchmarkRunner.DEFAULTS.label()).append(")\n\n")
        .append("Counted by etcd (`grpc_server_msg_received_total`: every unary request, and "
            + "every message on a stream, such as a lease keep-alive or a watch's creation).\n\n");
    traffic(out, results, libraries);
    out.append("""

        ### What each costs and guarantees

        - **This library** sends one transaction per retry period from the leader and nothing \
        from followers, which watch the key. A term ends by the elector's own monotonic clock: \
        a leader that cannot renew steps down at its renew deadline, before any follower may \
        take over (one lease duration after it last saw the record change), and a leader that \
        was paused (GC, a stopped VM, SIGSTOP) finds on waking that its renew deadline passed \
        and stops before it acts; `@OnLeader` work checks the deadline on every call. Fencing \
        tokens grow with every term, and writes into etcd can be guarded with the term's \
        revision ([etcd.md](etcd.md#how-the-etcd-lock-works)). On shutdown it ends the term (listeners, `@OnLeader` calls \
        in flight) before it releases the key, which is why its handover takes a few tens of \
        milliseconds more than a bare `resign`.
        - **jetcd's `Election`** costs each candidate a lease keep-alive every TTL/3 and each \
        follower a blocked `Campaign` call; etcd ends a term when the lease expires on the \
        server, so failover after a crash takes the TTL. Nothing tells a paused holder that its \
        term ended: it wakes up still believing it leads until its next keep-alive fails, while \
        another candidate may already lead, so its work overlaps unless every write is guarded \
        by the leader key's revision. `campaign` returns once, and re-campaigning after a lost \
        lease is the application's job (the candidate here does it).
        """);
    return out.append(ETCD_END).append('\n').toString();
  }

  /** p50, p95 and max of each library for each timing, with the ratio to the first library. */
  private static void distributions(StringBuilder out, Results results, String kind,
      List<String> libraries) {
    out.append("| timings | library | p50 | p95 | max | p95 ratio: peer / ")
        .append(libraries.get(0)).append(" |\n|---|---|---|---|---|---|\n");
    for (Timings timings : results.mode.trialTimings()) {
      Distribution ours = distribution(results, kind, libraries.get(0), timings);
      for (String library : libraries) {
        Distribution d = distribution(results, kind, library, timings);
        out.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %s |%n",
            timings.label(), library, d.p50(), d.p95(), d.max(),
            library.equals(libraries.get(0)) ? "" : ratio(d.p95(), ours.p95())));
      }
    }
    out.append('\n');
  }

  /** Requests per minute of each library's leader and followers, with the ratio to the first. */
  private static void traffic(StringBuilder out, Results results, List<String> libraries) {
    out.append("| library | leader | each follower | ratio to ").append(libraries.get(0))
        .append(" (leader + 2 followers) |\n|---|---|---|---|\n");
    Traffic ours = results.traffic.get(libraries.get(0));
    for (String library : libraries) {
      Traffic traffic = results.traffic.get(library);
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", library,
          traffic.leader().text(), traffic.follower().text(),
          library.equals(libraries.get(0)) ? "" : ratio(traffic.total(), ours.total())));
    }
  }

  /** The goals, each with what this run measured and whether it met it. */
  private static void goals(Results results, StringBuilder out) {
    out.append("\n## Goals\n\n| goal | result |\n|---|---|\n");
    List<String> crash = new ArrayList<>();
    List<String> handover = new ArrayList<>();
    boolean crashMet = true;
    boolean handoverMet = true;
    for (Timings timings : results.mode.trialTimings()) {
      double crashP95 = results.crash(OURS, timings).p95();
      double handoverP95 = results.handover(OURS, timings).p95();
      crashMet &= crashP95 <= timings.leaseSeconds() * 1000.0 + 300;
      handoverMet &= handoverP95 <= 300;
      crash.add(String.format(Locale.ROOT, "%.0f ms (%s)", crashP95, timings.label()));
      handover.add(String.format(Locale.ROOT, "%.0f ms (%s)", handoverP95, timings.label()));
    }
    goal(out, "crash failover p95 ≤ lease duration + 0.3 s", crashMet,
        String.join(", ", crash) + ", from SIGKILL");
    goal(out, "graceful handover p95 ≤ 0.3 s", handoverMet, String.join(", ", handover));
    Traffic ours = results.traffic.get(OURS);
    Traffic clientJava = results.traffic.get("client-java");
    if (ours != null && clientJava != null) {
      String goal = "steady-state API requests ≤ 1/3 of client-java's";
      RequestRate ourTotal = ours.total();
      RequestRate theirTotal = clientJava.total();
      if (ourTotal.trusted() && theirTotal.trusted()) {
        double share = ourTotal.perMinute() / theirTotal.perMinute();
        goal(out, goal, share <= 1.0 / 3, String.format(Locale.ROOT, "%s vs %s per minute for "
            + "a leader and two followers (%.2f)", ourTotal.text(), theirTotal.text(), share));
      } else {
        out.append("| ").append(goal).append(" | not judged: ").append(ourTotal.text())
            .append(" vs ").append(theirTotal.text()).append(" |\n");
      }
    }
  }

  static void goal(StringBuilder out, String goal, boolean met, String result) {
    out.append("| ").append(goal).append(" | ").append(met ? "met: " : "**missed**: ")
        .append(result).append(" |\n");
  }

  static void writeChart(Results results, Path file) throws IOException {
    List<BufferedImage> panels = new ArrayList<>();
    for (String kind : List.of("crash failover", "graceful handover")) {
      for (Timings timings : results.mode.trialTimings()) {
        panels.add(bars(results, kind, timings));
      }
    }
    BufferedImage all = new BufferedImage(1040, 720, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = all.createGraphics();
    graphics.setColor(Color.WHITE);
    graphics.fillRect(0, 0, all.getWidth(), all.getHeight());
    for (int i = 0; i < panels.size(); i++) {
      graphics.drawImage(panels.get(i), (i % 2) * 520, (i / 2) * 360, null);
    }
    graphics.dispose();
    ImageIO.write(all, "png", file.toFile());
  }

  /** p50, p95 and max of each library (XChart's box plot fails on these series). */
  private static BufferedImage bars(Results results, String kind, Timings timings) {
    CategoryChart chart = new CategoryChartBuilder().width(520).height(360)
        .title(kind + ", " + timings.label()).yAxisTitle("ms").build();
    for (String statistic : List.of("p50", "p95", "max")) {
      List<Double> values = new ArrayList<>();
      for (String library : BenchmarkRunner.libraries()) {
        Distribution d = distribution(results, kind, library, timings);
        values.add(switch (statistic) {
          case "p50" -> d.p50();
          case "p95" -> d.p95();
          default -> d.max();
        });
      }
      chart.addSeries(statistic, BenchmarkRunner.libraries(), values);
    }
    return BitmapEncoder.getBufferedImage(chart);
  }

  private static Distribution distribution(Results results, String kind, String library,
      Timings timings) {
    return kind.startsWith("crash") ? results.crash(library, timings)
        : results.handover(library, timings);
  }

  /** A peer's rate against ours; none unless both are figures. */
  private static String ratio(RequestRate peer, RequestRate ours) {
    return peer.trusted() && ours.trusted() ? ratio(peer.perMinute(), ours.perMinute()) : "n/a";
  }

  private static String ratio(double peer, double ours) {
    if (ours <= 0 || Double.isNaN(ours) || Double.isNaN(peer)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.1f×", peer / ours);
  }
}
