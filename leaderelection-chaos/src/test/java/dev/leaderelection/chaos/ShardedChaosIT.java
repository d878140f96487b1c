package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leaderelection.LeaseTimings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos harness on a sharded group (issue 29): member processes of one {@code ShardGroup} of
 * this library on Kubernetes ({@link ShardedCandidate}; on etcd with
 * {@code -Dchaos.groupLibrary=leaderelection-etcd}, etcd restarts instead of API-server ones),
 * the usual faults at them (network faults through their proxies, SIGKILL, SIGTERM,
 * SIGSTOP/SIGCONT, API-server restarts, extra members joining and dying, a person editing a
 * shard's Lease; not the elector's own yield and pause, which a group does not offer), and the
 * checker applied per shard ({@link ShardedChecker}).
 *
 * <p>Quick mode (in {@code ./mvnw verify}): 5 members × 32 shards, 25 faults, about 80 s on 2
 * busy cores; the report goes to {@code target/chaos/reliability.md}. {@code -Dchaos.mode=full}:
 * 5 members × 32 shards, 2,000 faults (estimated at about an hour from quick runs: 81 faults took
 * 170 s), writes the {@code chaos-groups} section of docs/reliability.md
 * ({@code chaos-groups-etcd} on etcd).
 *
 * <p>It fails on any overlap within a shard, stale action, token regression or missed recovery (a
 * recovery here is some shard acting after a batch cleared, which members that kept their shards
 * satisfy at once: the recoveries that matter are the liveness figures); liveness (when every
 * shard acts again, shards without an owner) is reported, not asserted. Settings:
 * {@code -Dchaos.groupFaults=N}, {@code -Dchaos.groupMembers=N}, {@code -Dchaos.groupShards=N},
 * {@code -Dchaos.groupTimings=6s/4s/1s}, {@code -Dchaos.seed=S}.
 */
class ShardedChaosIT {

  @Test
  @Timeout(value = 6, unit = TimeUnit.HOURS)
  void everyShardShouldShowNoOverlapNoStaleActionAndRisingTokens() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    assumeTrue(ci || Binaries.available(), "The chaos harness needs KUBE_LAUNCHER, "
        + "ETCD_LAUNCHER and TOXIPROXY_SERVER, or Go to build them; skipped");
    String mode = System.getProperty("chaos.mode", "quick").toLowerCase(Locale.ROOT);
    String library = System.getProperty("chaos.groupLibrary", "leaderelection");
    if (!library.equals("leaderelection") && !library.equals(ChaosRunner.ON_ETCD)) {
      throw new IllegalArgumentException("chaos.groupLibrary is '" + library
          + "'; it must be leaderelection or " + ChaosRunner.ON_ETCD);
    }
    boolean full = mode.equals("full");
    long seed = Long.getLong("chaos.seed", 20261229L);
    int members = Integer.getInteger("chaos.groupMembers", 5);
    int shards = Integer.getInteger("chaos.groupShards", 32);
    int faults = Integer.getInteger("chaos.groupFaults", full ? 2_000 : 25);
    String label = System.getProperty("chaos.groupTimings", "6s/4s/1s");
    String[] parts = label.replace("s", "").split("/");
    LeaseTimings timings = LeaseTimings.of(Duration.ofSeconds(Long.parseLong(parts[0])),
        Duration.ofSeconds(Long.parseLong(parts[1])), Duration.ofSeconds(Long.parseLong(parts[2])));
    Path folder = Path.of("target", "chaos").toAbsolutePath();
    ChaosRunner.Settings settings = new ChaosRunner.Settings(library,
        ChaosIT.classpath(library), members, timings,
        FaultSchedule.of(mode).on(library).sharded(), faults, seed,
        folder.resolve(library + "-groups"), shards);
    ShardedChecker.ShardedVerdict verdict;
    int injected;
    try (ChaosRunner runner = new ChaosRunner(settings)) {
      Exception stopped = null;
      try {
        runner.run();
      } catch (Exception e) {
        stopped = e;
      }
      // As ChaosIT: the history so far is checked and reported even when the run stopped early.
      verdict = ShardedChecker.check(runner.history(), runner.actions(), shards);
      injected = runner.faultCounts().values().stream().mapToInt(Integer::intValue).sum();
      String report = ShardedReport.markdown(library, verdict, members, label, runner.faultCounts(),
          runner.history().endReasons(), "./mvnw install -DskipTests && ./mvnw -pl "
              + "leaderelection-chaos verify -Dchaos.mode=" + mode + " -Dit.test=ShardedChaosIT"
              + (library.equals("leaderelection") ? "" : " -Dchaos.groupLibrary=" + library)
              + " (" + members + " members × " + shards + " shards, " + faults + " faults, seed "
              + seed + ")");
      Path docs = full ? Path.of(System.getProperty("chaos.docsDir")) : folder;
      ShardedReport.write(docs.resolve("reliability.md"), library, report);
      System.out.println(report);
      if (stopped != null) {
        throw stopped;
      }
    }
    assertThat(injected).as("faults injected").isGreaterThanOrEqualTo(faults);
    assertThat(verdict.verdict().actions()).as("guarded actions taken").isGreaterThan(100);
    assertThat(verdict.verdict().examples()).as("what the checker found").isEmpty();
    assertThat(verdict.safe()).isTrue();
  }
}
