package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leaderelection.LeaseTimings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos harness on several kube-apiservers over one etcd ({@link ApiServersStore}), with the
 * faults of one API server ({@link ApiServerSchedule}): restarted, its etcd connection slowed (its
 * watches lag) or cut. Quick mode (in {@code ./mvnw verify}): 30 faults at three candidates of
 * this library on three API servers, failing on any overlap, stale action or missed recovery; it
 * asserts safety, never a timing. {@code -Dchaos.mode=full} runs 2,000 faults at five candidates
 * of this library and of each peer and writes the {@code chaos-apiservers} section of
 * docs/reliability.md, takeover times by fault included. {@code -Dchaos.apiservers=N} changes
 * the number of API servers (at least 2), {@code -Dchaos.apiserverRuns=library@l/r/p:faults,...}
 * the runs ({@code none}: only write the report again), {@code -Dchaos.apiserverCandidates=N}
 * the candidates.
 */
class ApiServersChaosIT {

  private static final Pattern RUN = Pattern.compile(
      "(leaderelection|fabric8|client-java)@(\\d+)s/(\\d+)s/(\\d+)s:(\\d+)");

  @Test
  @Timeout(value = 6, unit = TimeUnit.HOURS)
  void severalApiServersShouldShowNoOverlapNoStaleActionAndEveryRecoveryInTime()
      throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    assumeTrue(ci || Binaries.available(), "The chaos harness needs KUBE_LAUNCHER, "
        + "ETCD_LAUNCHER and TOXIPROXY_SERVER, or Go to build them; skipped");
    String mode = System.getProperty("chaos.mode", "quick").toLowerCase(Locale.ROOT);
    long seed = Long.getLong("chaos.seed", 20261207L);
    int apiServers = Integer.getInteger("chaos.apiservers", 3);
    boolean full = mode.equals("full");
    int candidates = Integer.getInteger("chaos.apiserverCandidates", full ? 5 : 3);
    String runs = System.getProperty("chaos.apiserverRuns", "");
    if (runs.isBlank()) {
      runs = full ? "leaderelection@6s/4s/1s:2000,fabric8@6s/4s/1s:2000,"
          + "client-java@6s/4s/1s:2000" : "leaderelection@6s/4s/1s:30";
    }
    Path folder = Path.of("target", "chaos").toAbsolutePath();
    Path results = folder.resolve("results-apiservers-" + mode);
    List<Result> ours = new ArrayList<>();
    for (String entry : runs.equals("none") ? new String[0] : runs.split(",")) {
      Matcher matcher = RUN.matcher(entry.trim());
      if (!matcher.matches()) {
        throw new IllegalArgumentException("chaos.apiserverRuns entry '" + entry + "' must look "
            + "like leaderelection@6s/4s/1s:30 (library: leaderelection, fabric8 or client-java)");
      }
      String library = matcher.group(1);
      LeaseTimings timings = LeaseTimings.of(Duration.ofSeconds(Long.parseLong(matcher.group(2))),
          Duration.ofSeconds(Long.parseLong(matcher.group(3))),
          Duration.ofSeconds(Long.parseLong(matcher.group(4))));
      String label = matcher.group(2) + "s/" + matcher.group(3) + "s/" + matcher.group(4) + "s";
      int faults = Integer.parseInt(matcher.group(5));
      Result result = run(library, timings, label, faults, candidates, apiServers, mode, seed,
          folder, results);
      if (library.equals("leaderelection")) {
        ours.add(result);
      }
    }
    Path docs = full ? Path.of(System.getProperty("chaos.docsDir")) : folder;
    String report = ApiServerReport.markdown(results, apiServers, "./mvnw install -DskipTests "
        + "&& ./mvnw -pl leaderelection-chaos verify -Dchaos.mode=" + mode
        + " -Dit.test=ApiServersChaosIT (" + apiServers + " API servers, seed " + seed + ")",
        System.getProperty("chaos.peerVersions", "of unknown versions"));
    ApiServerReport.write(docs.resolve("reliability.md"), report);
    System.out.println(report);

    for (Result result : ours) {
      assertThat(result.examples()).as("what the checker found").isEmpty();
      assertThat(result.safe()).isTrue();
    }
  }

  private static Result run(String library, LeaseTimings timings, String label, int faults,
      int candidates, int apiServers, String mode, long seed, Path folder, Path results)
      throws Exception {
    ChaosRunner.Settings settings = new ChaosRunner.Settings(library,
        ChaosIT.classpath(library), candidates, timings, ApiServerSchedule.of(mode, library),
        faults, seed, folder.resolve(library + "-apiservers"));
    AtomicReference<ApiServersStore> store = new AtomicReference<>();
    try (ChaosRunner runner = new ChaosRunner(settings, run -> {
      store.set(ApiServersStore.start(run.workDir(), "chaos-" + Long.toHexString(run.seed()),
          apiServers, run.timings().renewDeadline()));
      return store.get();
    })) {
      Exception stopped = null;
      try {
        runner.run();
      } catch (Exception e) {
        stopped = e;
      }
      // As ChaosIT: the history so far is checked and kept even when the run stopped early.
      Result result = Result.of(library, label, candidates, runner.faultCounts(),
          runner.history().endReasons(), Checker.check(runner.history(), runner.actions()));
      long leaseNanos = timings.leaseDuration().toNanos();
      TakeoverTimes takeovers = store.get() == null
          ? TakeoverTimes.of(runner.history(), leaseNanos)
          : TakeoverTimes.of(runner.history(), store.get().held(),
              store.get()::apiServerOfIdentity, leaseNanos);
      TakeoverTimes.writeEvents(folder.resolve(library + "-apiservers-" + mode + "-events.txt"),
          runner.history(), store.get() == null ? List.of() : store.get().held());
      ApiServerReport.save(results, result, takeovers);
      System.out.println("ApiServersChaosIT " + library + " " + label + ": " + result.faults()
          + " faults, " + result.overlaps() + " overlaps, " + result.staleActionsPerformed()
          + "/" + result.staleActionsAccepted() + " stale actions, missed recoveries "
          + result.missedRecoveries() + " of " + result.recoveries() + "; takeovers by fault "
          + "(count:min/p50/p95/max ms:under the lease duration) " + takeovers.encode());
      if (stopped != null) {
        throw stopped;
      }
      assertThat(result.faults()).as("faults injected").isGreaterThanOrEqualTo(faults);
      return result;
    }
  }
}
