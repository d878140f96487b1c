package dev.leaderelection.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The groups suite, only with {@code -Dbenchmark.suite=groups} (never in the default build):
 * sharded groups against independent elections on the real API server ({@link GroupsRunner}).
 * Quick mode writes target/benchmarks/benchmarks.md, full mode the groups section of
 * docs/benchmarks.md. Asserts only safety (no shard held by two members at once in the printed
 * events) and that every change was measured; spread and times are reported, never asserted.
 */
@EnabledIfSystemProperty(named = "benchmark.suite", matches = "groups")
@ExtendWith(KubernetesApiServerExtension.class)
class GroupsBenchmarkIT {

  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  void noShardShouldHaveTwoOwnersAtOnce(KubernetesApiServer server) throws Exception {
    BenchmarkRunner.Mode mode = BenchmarkRunner.Mode.valueOf(
        System.getProperty("benchmark.mode", "quick").toUpperCase(Locale.ROOT));
    KubernetesBackend kubernetes = new KubernetesBackend(server,
        Path.of(System.getProperty("benchmark.clientJavaDir")));
    String loadBefore = StartupTimes.loadAverage();
    List<GroupsRunner.Result> results = new GroupsRunner(mode, kubernetes).run();
    String load = loadBefore + " at the start and " + StartupTimes.loadAverage() + " at the end";

    Path dir = mode == BenchmarkRunner.Mode.FULL
        ? Path.of(System.getProperty("benchmark.docsDir")) : Path.of("target", "benchmarks");
    Path markdown = dir.resolve("benchmarks.md");
    GroupsReport.write(results, mode, markdown, "./mvnw -pl leaderelection-benchmarks -am "
        + "verify -Dbenchmark.suite=groups -Dbenchmark.mode=" + mode.name()
        .toLowerCase(Locale.ROOT), load);
    String written = Files.readString(markdown);
    System.out.println(Report.section(written, GroupsReport.START, GroupsReport.END)
        .orElseThrow());

    assertThat(results).hasSize(GroupsRunner.setups(mode).size()
        * GroupsRunner.Approach.values().length);
    assertThat(results).allSatisfy(result -> {
      assertThat(result.overlaps()).as("shards owned twice, %s", result).isEmpty();
      assertThat(result.changes()).hasSize(3);
    });
  }
}
