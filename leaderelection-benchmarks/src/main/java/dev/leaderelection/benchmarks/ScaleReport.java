package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.BenchmarkRunner.Mode;
import dev.leaderelection.benchmarks.BenchmarkRunner.Results;
import dev.leaderelection.benchmarks.StartupTimes.Start;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The scale section of the report: footprint rows, the fleet, startup, {@code @OnLeader}. */
final class ScaleReport {

  /** The command that measures startup alone and rewrites its part of this section. */
  static final String REPRODUCE_STARTUP = "./mvnw -pl leaderelection-benchmarks -am verify "
      + "-Dbenchmark.mode=full -Dbenchmark.suite=startup -Dtest=None "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Dit.test=BenchmarkIT "
      + "-Dfailsafe.failIfNoSpecifiedTests=false";

  private ScaleReport() {
  }

  static String section(Results results, String command) {
    StringBuilder out = new StringBuilder(Report.SCALE_START)
        .append("\n## This library at scale\n\n");
    out.append("Written by `").append(command).append("` (mode ")
        .append(results.mode.name().toLowerCase(Locale.ROOT)).append(") on ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(", against one real kube-apiserver "
            + "(with its etcd) on the same machine.\n");
    footprints(out, results.footprints);
    out.append(LatencyReport.part(results, command).isEmpty() ? ""
        : "\n" + LatencyReport.part(results, command));
    results.fleet.ifPresent(fleet -> fleet(out, fleet));
    results.startup.ifPresent(startup -> out.append(startup(startup, results.mode, command)));
    results.onLeader.ifPresent(overhead -> onLeader(out, overhead));
    goals(out, results);
    return out.append(Report.SCALE_END).append('\n').toString();
  }

  private static void footprints(StringBuilder out, List<Footprint.Result> rows) {
    out.append("\n### Elections in one JVM\n\n");
    out.append("Electors on their own real Leases in a namespace of their own, sharing one "
        + "`ElectionThreads` (as the starter does), measured at steady state over the window "
        + "after two first elections paid the fixed cost (classes, HTTP connections, threads, the "
        + "namespace's shared watch: "
        + rows.stream().mapToLong(Footprint.Result::fixedHeapBytes).max().orElse(0) / 1024
        + " KiB at most). Heap is the live heap the elections added (class histogram after a "
        + "full GC). Election threads are this library's (scheduler, lock calls, the namespace's "
        + "watch; the listener pool keeps none while no listener runs); all threads added count "
        + "every thread the elections, the first two included, added to the JVM (those of the "
        + "locks' HTTP dispatcher too, which runs each request on a thread while it is in "
        + "flight). A renewal's call time runs from the elector sending its update to the "
        + "answer, so it includes the wait in that dispatcher's queue (the locks' own, limited "
        + "to 2 requests per lock, 4 to 64; leaders that began together renew together); no "
        + "election thread waits meanwhile. *Late* is how long after its retry period a renewal "
        + "was sent; *missed* are renewals sent a whole retry period late or more. Requests are "
        + "the ones this JVM sent (the first two elections' included), counted by its HTTP "
        + "client; a leader should write once per retry period and read nothing.\n\n");
    out.append("| elections | timings | leading | election threads | all threads added "
        + "| heap per election | renewal call p50 / p99 | renewal late p99 | missed renewals "
        + "| terms lost | writes/min (one per retry period: expected) | reads/min "
        + "| watches opened |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Footprint.Result row : rows) {
      out.append(String.format(Locale.ROOT, "| %,d | %s | %d | %d | %d | %.1f KiB | %.1f / %.1f "
              + "ms | %.1f ms | %d | %d | %.0f (%d) | %.1f | %d |%n", row.elections(),
          row.timings().label(), row.leading(), row.electionThreads(), row.threads(),
          row.heapKibPerElection(), row.renewP50Millis(),
          row.renewP99Millis(), row.lateP99Millis(), row.missedRenewals(), row.lostTerms(),
          row.writesPerMinute(), expectedWrites(row), row.readsPerMinute(),
          row.watchesOpened()));
    }
  }

  private static void fleet(StringBuilder out, ScaleRunner.Fleet fleet) {
    out.append(String.format(Locale.ROOT, "%n### A fleet: %d JVMs on the same %,d elections "
        + "(%s)%n%n", fleet.members().size(), fleet.scale().elections(),
        fleet.scale().timings().label()));
    out.append("| JVM | leading | heap per election | renewal call p99 | missed renewals "
        + "| terms lost | writes/min | reads/min | watches opened |\n"
        + "|---|---|---|---|---|---|---|---|---|\n");
    char name = 'a';
    for (Footprint.Result member : fleet.members()) {
      // A JVM that leads none of the 1,000 renews none of them: no call time to show.
      String renewP99 = Double.isNaN(member.renewP99Millis()) ? "–"
          : String.format(Locale.ROOT, "%.1f ms", member.renewP99Millis());
      out.append(String.format(Locale.ROOT, "| fleet-%c | %d | %.1f KiB | %s | %d | %d "
              + "| %.0f | %.1f | %d |%n", name++, member.leading(), member.heapKibPerElection(),
          renewP99, member.missedRenewals(), member.lostTerms(),
          member.writesPerMinute(), member.readsPerMinute(), member.watchesOpened()));
    }
    out.append(String.format(Locale.ROOT, "%nAt the API server, all three together: %.0f Lease "
        + "requests per minute (its own Lease traffic subtracted; one write per retry period per "
        + "election, the JVMs' first elections included, is %d), and %.0f Lease watches open "
        + "(`apiserver_longrunning_requests`).%n",
        fleet.serverRequestsPerMinute(), fleetExpectedWrites(fleet), fleet.openWatches()));
  }

  /** The startup subsection: how it was measured, each variant's figures. */
  static String startup(StartupTimes startup, Mode mode, String command) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n### Startup%n%n"
        + "Written by `%s` (mode %s) on %d cores, Java %s; the machine's load average (1 "
        + "minute) was %s.%n%n", command, mode.name().toLowerCase(Locale.ROOT),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        startup.load()));
    out.append(String.format(Locale.ROOT, "One small application (one `@OnLeader` bean and "
        + "one plain service, no web server) started %d times in each variant, in rounds that "
        + "start every variant once (the order reversed every other round, the two with a Lease "
        + "last, then a pause), so that other work on the machine hits every variant alike. "
        + "Each variant runs on a classpath of its "
        + "own, with none of the benchmarks' peers: `spring-boot-starter`; *with Spring AOP* "
        + "adds AspectJ (`aspectjweaver`, what `spring-boot-starter-aspectj` adds) and an aspect "
        + "around the service, as an application with `@Transactional` or `@Async` has Spring "
        + "AOP; the starter's variants add `leaderelection-spring-boot-starter` and its "
        + "dependencies. *Median* is the time from `SpringApplication.run` to "
        + "`ApplicationReadyEvent`; *added* is the median over the rounds of the variant's time "
        + "minus the time of the application without the starter in the same round (and the "
        + "interquartile range of those differences), which cancels most of what other work "
        + "adds to both; *main-thread CPU* is the CPU time of the thread that starts the "
        + "application over the same span, which other work disturbs less than the wall time. "
        + "Reproduce: `%s`.%n%n", startup.rounds(), REPRODUCE_STARTUP));
    out.append("| application | Spring AOP | median | added (IQR) | main-thread CPU | CPU added "
        + "| classes loaded |\n|---|---|---|---|---|---|---|\n");
    for (String variant : StartupTimes.variants()) {
      boolean baseline = variant.startsWith("baseline");
      out.append(String.format(Locale.ROOT, "| %s | %s | %.0f ms | %s | %.0f ms | %s | %.0f |%n",
          baseline ? "without the starter" : variant.startsWith("in-memory")
              ? "with the starter, in-memory lock" : "with the starter, a Lease on the API server",
          StartupTimes.aop(variant) ? "yes" : "no", startup.median(variant, Start::millis),
          baseline ? "" : String.format(Locale.ROOT, "%.0f ms (%.0f to %.0f)",
              startup.added(variant, Start::millis, 0.5),
              startup.added(variant, Start::millis, 0.25),
              startup.added(variant, Start::millis, 0.75)),
          startup.median(variant, Start::cpuMillis),
          baseline ? "" : String.format(Locale.ROOT, "%.0f ms",
              startup.added(variant, Start::cpuMillis, 0.5)),
          startup.median(variant, Start::classes)));
    }
    out.append(String.format(Locale.ROOT, "%nRequests to the API server made by the main thread "
        + "before the application was ready, over all starts with a Lease: %d.%n",
        startup.blockingRequests()));
    return out.toString();
  }

  /** The startup goals' rows (the goals table of this section holds them). */
  static String startupGoals(StartupTimes startup) {
    StringBuilder out = new StringBuilder();
    Report.goal(out, "startup: ≤ 50 ms added with the in-memory lock, to an application that "
            + "uses Spring AOP", startup.added("in-memory-aop", Start::millis, 0.5) <= 50,
        String.format(Locale.ROOT, "%.0f ms added (median of %d paired starts; main-thread "
                + "CPU %.0f ms); to one without Spring AOP %.0f ms (CPU %.0f ms)",
            startup.added("in-memory-aop", Start::millis, 0.5), startup.rounds(),
            startup.added("in-memory-aop", Start::cpuMillis, 0.5),
            startup.added("in-memory-no-aop", Start::millis, 0.5),
            startup.added("in-memory-no-aop", Start::cpuMillis, 0.5)));
    Report.goal(out, "startup: nothing blocks on the API server before ready",
        startup.blockingRequests() == 0, startup.blockingRequests() + " requests");
    return out.toString();
  }

  /**
   * {@code scale} (a scale section, possibly empty) with its startup subsection and startup
   * goals replaced by those of {@code results}: what a run of the startup suite alone writes.
   */
  static String withStartup(String scale, Results results, String command) {
    StartupTimes times = results.startup.orElseThrow();
    String subsection = startup(times, results.mode, command);
    String text = scale.isEmpty() ? Report.SCALE_START + "\n## This library at scale\n\n"
        + Report.SCALE_END + "\n" : scale;
    int from = text.indexOf("\n### Startup\n");
    if (from >= 0) {
      int to = text.indexOf("\n### ", from + 1);
      text = text.substring(0, from) + subsection + text.substring(to < 0
          ? text.indexOf(Report.SCALE_END) - 1 : to);
    } else {
      int at = text.indexOf("\n### `@OnLeader` call");
      at = at >= 0 ? at : text.indexOf("\n### Goals at scale");
      at = at >= 0 ? at : text.indexOf(Report.SCALE_END) - 1;
      text = text.substring(0, at) + subsection + text.substring(at);
    }
    List<String> lines = new ArrayList<>(text.lines().toList());
    int first = -1;
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("| startup:")) {
        lines.remove(i);
        first = i;
      }
    }
    if (first < 0) { // no startup goals yet: after the goals table's header, or a new table
      int goals = lines.indexOf("### Goals at scale");
      if (goals < 0) {
        goals = lines.indexOf(Report.SCALE_END);
        lines.addAll(goals, List.of("", "### Goals at scale", "", "| goal | result |",
            "|---|---|"));
        goals++;
      }
      first = goals + 4;
    }
    lines.addAll(first, startupGoals(times).lines().toList());
    return String.join("\n", lines) + "\n";
  }

  private static void onLeader(StringBuilder out, OnLeaderOverhead overhead) {
    out.append(String.format(Locale.ROOT, "%n### `@OnLeader` call (JMH, average time, one run)"
            + "%n%n| call | ns/op |%n|---|---|%n| `@OnLeader` method on the leader | %.1f |%n"
            + "| the same method through a Spring AOP proxy with a no-op advice | %.1f |%n"
            + "| the same method, plain | %.1f |%n", overhead.onLeaderNanos(),
        overhead.springProxyNanos(), overhead.plainNanos()));
  }

  private static void goals(StringBuilder out, Results results) {
    out.append("\n### Goals at scale\n\n| goal | result |\n|---|---|\n");
    Optional<Footprint.Result> largest =
        results.footprints.stream().max(Comparator.comparingInt(Footprint.Result::elections));
    Optional<Footprint.Result> smallest =
        results.footprints.stream().min(Comparator.comparingInt(Footprint.Result::elections));
    largest.ifPresent(row -> {
      Report.goal(out, String.format(Locale.ROOT, "%,d elections renew within their retry "
              + "period", row.elections()), row.missedRenewals() == 0 && row.lostTerms() == 0
              && row.leading() == row.elections(),
          String.format(Locale.ROOT, "%d missed renewals, %d terms lost, %d of %d leading, "
                  + "renewal late p99 %.1f ms (%s)", row.missedRenewals(), row.lostTerms(),
              row.leading(), row.elections(), row.lateP99Millis(), row.timings().label()));
      smallest.ifPresent(one -> Report.goal(out, "this library's threads stay constant",
          row.electionThreads() <= one.electionThreads(), String.format(Locale.ROOT,
              "%d election threads for %,d elections, %d for %d", row.electionThreads(),
              row.elections(), one.electionThreads(), one.elections())));
      if (row.elections() >= 1000) {
        Report.goal(out, "heap ≤ 20 KiB per election at 1,000", row.heapKibPerElection() <= 20,
            String.format(Locale.ROOT, "%.1f KiB at %,d", row.heapKibPerElection(),
                row.elections()));
      } else {
        out.append(String.format(Locale.ROOT, "| heap ≤ 20 KiB per election at 1,000 | not "
            + "measured in this mode: %.1f KiB at %,d |%n", row.heapKibPerElection(),
            row.elections()));
      }
    });
    boolean exact = results.footprints.stream().allMatch(row -> row.readsPerMinute() == 0
        && Math.abs(row.writesPerMinute() - expectedWrites(row)) <= 0.02 * expectedWrites(row));
    Report.goal(out, "one write per retry period per leader, no reads", exact,
        "every row's writes within 2 % of one per retry period per leader, and its reads");
    results.fleet.ifPresent(fleet -> Report.goal(out, "a fleet opens one watch per JVM per "
            + "namespace", Math.round(fleet.openWatches()) == fleet.members().size(),
        String.format(Locale.ROOT, "%.0f open for %d JVMs; %.0f requests/min at the server for "
            + "%d expected writes", fleet.openWatches(), fleet.members().size(),
            fleet.serverRequestsPerMinute(), fleetExpectedWrites(fleet))));
    results.onLeader.ifPresent(overhead -> Report.goal(out, "`@OnLeader` ≤ 2 × a no-op advice",
        overhead.onLeaderNanos() <= 2 * overhead.springProxyNanos(), String.format(Locale.ROOT,
            "%.1f ns against %.1f ns (%.2f ×)", overhead.onLeaderNanos(),
            overhead.springProxyNanos(), overhead.onLeaderNanos() / overhead.springProxyNanos())));
    LatencyReport.goal(out, results.latencies);
    results.startup.ifPresent(startup -> out.append(startupGoals(startup)));
    largest.ifPresent(row -> Report.goal(out, "non-blocking lock calls",
        row.renewals() > 0 && row.renewalsWithoutThread() == row.renewals(),
        String.format(Locale.ROOT, "%,d of %,d renewals at %,d elections held no thread while "
                + "the API server answered (the HTTP client's dispatcher waits for them); %d "
                + "election threads", row.renewalsWithoutThread(), row.renewals(),
            row.elections(), row.electionThreads())));
  }

  static long expectedWrites(Footprint.Result row) {
    return Math.round((row.leading() + Footprint.FIRST_ELECTIONS) * 60_000.0
        / row.timings().retryMillis());
  }

  private static long fleetExpectedWrites(ScaleRunner.Fleet fleet) {
    return Math.round((fleet.scale().elections() + fleet.members().size()
        * Footprint.FIRST_ELECTIONS) * 60_000.0 / fleet.scale().timings().retryMillis());
  }
}
