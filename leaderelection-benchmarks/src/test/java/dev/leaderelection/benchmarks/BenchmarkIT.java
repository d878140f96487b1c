package dev.leaderelection.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.etcd.testing.EtcdLauncherExtension;
import dev.leaderelection.etcd.testing.EtcdServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import dev.leaderelection.testing.GoBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the benchmark: one trial of each measurement by default (so it never rots; failover and
 * handover at the faster timings only), the full run with {@code -Dbenchmark.mode=full}, which
 * writes docs/benchmarks.md and its chart;
 * {@code -Dbenchmark.suite=kubernetes} or {@code etcd} measures one backend against its peers,
 * {@code scale} this library at scale (the etcd and scale suites alone rewrite only their
 * section), {@code latency} only the scale rows at a real cluster's latency (rewriting only
 * them), {@code startup} only the starter's startup cost (rewriting only its part of the
 * scale section). Asserts only that every measurement produced a figure;
 * speed goals are reported, never asserted. The groups suite ({@code -Dbenchmark.suite=groups})
 * is {@link GroupsBenchmarkIT}'s alone.
 */
@DisabledIfSystemProperty(named = "benchmark.suite", matches = "groups",
    disabledReason = "the groups suite runs in GroupsBenchmarkIT")
@ExtendWith({KubernetesApiServerExtension.class, EtcdLauncherExtension.class})
class BenchmarkIT {

  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  void everyMeasurementShouldProduceFigures(KubernetesApiServer server, EtcdLauncher etcd)
      throws Exception {
    BenchmarkRunner.Mode mode = BenchmarkRunner.Mode.valueOf(
        System.getProperty("benchmark.mode", "quick").toUpperCase(Locale.ROOT));
    BenchmarkRunner.Suite suite = BenchmarkRunner.Suite.valueOf(
        System.getProperty("benchmark.suite", "all").toUpperCase(Locale.ROOT));
    Path clientJava = Path.of(System.getProperty("benchmark.clientJavaDir"));
    Path startup = Path.of(System.getProperty("benchmark.startupDir"));
    BenchmarkRunner.Results results;
    try (EtcdServer etcdServer = etcd.start()) {
      results = new BenchmarkRunner(mode, suite, new KubernetesBackend(server, clientJava),
          new EtcdBackend(etcdServer), startup).run();
    }

    Path dir = mode == BenchmarkRunner.Mode.FULL
        ? Path.of(System.getProperty("benchmark.docsDir")) : Path.of("target", "benchmarks");
    Path markdown = dir.resolve("benchmarks.md");
    Report.write(results, markdown, dir.resolve("benchmarks.png"),
        "./mvnw -pl leaderelection-benchmarks -am verify -Dbenchmark.mode="
            + mode.name().toLowerCase(Locale.ROOT)
            + (suite == BenchmarkRunner.Suite.ALL ? ""
                : " -Dbenchmark.suite=" + suite.name().toLowerCase(Locale.ROOT)));
    System.out.println(Files.readString(markdown));

    assertThat(results.crash.values()).allSatisfy(d -> assertThat(d.count()).isEqualTo(mode.trials));
    assertThat(results.handover.values())
        .allSatisfy(d -> assertThat(d.count()).isEqualTo(mode.trials));
    int libraries = (suite.kubernetes() ? BenchmarkRunner.libraries().size() : 0)
        + (suite.etcd() ? 2 : 0);
    assertThat(results.crash).hasSize(libraries * mode.trialTimings().size());
    assertThat(results.traffic).hasSize(libraries);
    if (suite.kubernetes()) {
      assertThat(dir.resolve("benchmarks.png")).exists();
    }
    if (suite.etcd()) {
      assertThat(Files.readString(markdown)).contains(Report.ETCD_START, "jetcd-election");
    }
    if (suite.scale()) {
      assertThat(results.footprints).hasSize(mode.footprints.size())
          .allSatisfy(row -> assertThat(row.leading()).isEqualTo(row.elections()))
          // Non-blocking: renewals held no thread while the API server answered (a renewal
          // based on a version the lock has not seen reads it first, blocking, as it should).
          .allSatisfy(row -> assertThat(row.renewalsWithoutThread())
              .isGreaterThanOrEqualTo((long) Math.floor(row.renewals() * 0.99)).isPositive());
      assertThat(results.onLeader).isPresent();
      assertThat(results.fleet.isPresent()).isEqualTo(mode == BenchmarkRunner.Mode.FULL);
      assertThat(Files.readString(markdown)).contains(Report.SCALE_START, "Goals at scale");
    }
    if (suite.latency() && GoBinaries.available("TOXIPROXY_SERVER")) {
      assertThat(results.latencies).hasSize(mode.latencies.size())
          .allSatisfy(row -> assertThat(row.result().leading())
              .isEqualTo(row.result().elections()));
      assertThat(Files.readString(markdown)).contains(LatencyReport.START,
          "### At a real cluster's latency");
    }
    if (suite.startup()) {
      assertThat(results.startup).isPresent();
      assertThat(results.startup.get().starts().values())
          .allSatisfy(starts -> assertThat(starts).hasSize(results.startup.get().rounds()));
      assertThat(Files.readString(markdown)).contains("### Startup", "startup: nothing blocks");
    }
  }
}
