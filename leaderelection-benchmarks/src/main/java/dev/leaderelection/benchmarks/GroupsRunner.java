package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.BenchmarkRunner.Mode;
import dev.leaderelection.benchmarks.BenchmarkRunner.Timings;
import dev.leaderelection.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The groups suite: {@code N} shards over {@code M} member JVMs on one real API server, once as
 * this library's {@code ShardGroup} and once as {@code N} independent elections per process
 * (what applications do without groups). Each run settles, measures the spread and the API
 * server's Lease traffic at steady state, then a member joins, the member holding most leaves
 * gracefully (SIGTERM), and the member holding most is SIGKILLed; each change's window lasts
 * until every shard has one live owner and nothing changed for a lease duration and two retry
 * periods (or three times that at most). Figures come from the members' printed transitions
 * ({@link ShardTimeline}); only safety is checked by the caller.
 */
final class GroupsRunner {

  /** What each member process runs. */
  enum Approach {
    GROUP("group", "leaderelection `ShardGroup`"),
    INDEPENDENT("independent", "N independent elections per process");

    final String argument;
    final String label;

    Approach(String argument, String label) {
      this.argument = argument;
      this.label = label;
    }
  }

  /** N shards over M members with these timings. */
  record Setup(int shards, int members, Timings timings) {

    /** A lease duration and two retry periods: the stability the spread is measured after. */
    Duration quiet() {
      return Duration.ofSeconds(timings.leaseSeconds())
          .plusMillis(2L * timings.retryMillis());
    }

    Duration patience() {
      return quiet().multipliedBy(3);
    }
  }

  /** Quick: 64 shards over 3 members; full adds 5 members, and 1,000 shards at 60s/40s/10s. */
  static List<Setup> setups(Mode mode) {
    List<Setup> quick = List.of(new Setup(64, 3, BenchmarkRunner.DEFAULTS));
    return mode == Mode.QUICK ? quick : List.of(quick.get(0),
        new Setup(64, 5, BenchmarkRunner.DEFAULTS),
        new Setup(1000, 3, BenchmarkRunner.THOUSAND),
        new Setup(1000, 5, BenchmarkRunner.THOUSAND));
  }

  /** Lease writes and all Lease requests but watches, per minute. */
  record Rates(RequestRate writes, RequestRate requests) {

    Rates minus(Rates baseline) {
      return new Rates(writes.minus(baseline.writes), requests.minus(baseline.requests));
    }
  }

  /** At steady state: shards per live member, unowned shards, and the server's traffic. */
  record Steady(Map<String, Integer> counts, int unowned, Rates rates) {

    int spread() {
      return ShardTimeline.spread(counts.values());
    }
  }

  /** One membership change: join, leave or crash, of {@code member}, and its window. */
  record ChangeRow(String change, String member, ShardTimeline.Change figures,
      long windowNanos) {
  }

  /** One approach on one setup. */
  record Result(Setup setup, Approach approach, Steady steady, List<ChangeRow> changes,
      List<String> overlaps, List<String> problems) {
  }

  private final Mode mode;
  private final KubernetesBackend kubernetes;
  private final String classpath;

  GroupsRunner(Mode mode, KubernetesBackend kubernetes) throws IOException {
    this.mode = mode;
    this.kubernetes = kubernetes;
    this.classpath = pinnedClasspath(Path.of("target", "groups", "classpath"));
  }

  /**
   * This JVM's classpath with this project's snapshot jars copied under {@code dir}, so that
   * every member JVM of the run, a late joiner too, runs the same code even if another build
   * installs new snapshots into the local repository meanwhile.
   */
  private static String pinnedClasspath(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      String name = path.getFileName() == null ? "" : path.getFileName().toString();
      if (name.startsWith("leaderelection-") && name.endsWith(".jar")) {
        Path copy = dir.resolve(name);
        Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
        entries.add(copy.toAbsolutePath().toString());
      } else {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Every setup, each approach in turn; the server's own Lease traffic measured first. */
  List<Result> run() throws Exception {
    Rates baseline = rates();
    ScaleRunner.progress("groups: the server's own lease traffic %s writes/min, %s requests/min",
        baseline.writes().text(), baseline.requests().text());
    List<Result> results = new ArrayList<>();
    for (Setup setup : setups(mode)) {
      for (Approach approach : Approach.values()) {
        results.add(new GroupsTrial(this, setup, approach, baseline).run());
      }
    }
    return results;
  }

  /** The traffic window: 30 s in quick mode (the shortest a rate is a figure), 2 min in full. */
  Rates rates() throws InterruptedException {
    Duration window = mode == Mode.QUICK ? RequestRate.SHORTEST_TRUSTED_WINDOW
        : Duration.ofMinutes(2);
    ApiRequestCounter counter = kubernetes.counter();
    ApiRequestCounter.LeaseCounts before = counter.leaseCounts();
    long start = System.nanoTime();
    TimeUnit.NANOSECONDS.sleep(window.toNanos());
    ApiRequestCounter.LeaseCounts after = counter.leaseCounts();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    return new Rates(RequestRate.of(after.writes() - before.writes(), elapsed),
        RequestRate.of(after.requests() - before.requests(), elapsed));
  }

  String newNamespace() {
    return kubernetes.newNamespace("groups");
  }

  /** Starts a member JVM of {@code approach} in {@code namespace}. */
  GroupMember start(Setup setup, Approach approach, String namespace, String identity,
      List<ShardEvent> events) throws IOException {
    Timings timings = setup.timings();
    List<String> command = ChildJvm.command(List.of(
        setup.shards() > 100 ? "-Xmx512m" : "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        classpath, GroupCandidate.class.getName(), approach.argument,
        kubernetes.kubeconfig().toString(), namespace, "shards", identity,
        Integer.toString(setup.shards()), Integer.toString(timings.leaseSeconds()),
        Integer.toString(timings.renewMillis()), Integer.toString(timings.retryMillis())));
    return GroupMember.start(identity, command, events,
        Path.of("target", "groups", namespace + "-" + identity + ".log"));
  }

  /** The live member that holds most shards at {@code nanos} (the first of equals). */
  static GroupMember holdingMost(List<GroupMember> live, ShardTimeline timeline, long nanos) {
    Map<String, Integer> counts = timeline.stateAt(nanos)
        .counts(live.stream().map(GroupMember::identity).toList());
    return Collections.max(live, Comparator.comparingInt(
        (GroupMember member) -> counts.get(member.identity()))
        .thenComparing(member -> -live.indexOf(member)));
  }
}
