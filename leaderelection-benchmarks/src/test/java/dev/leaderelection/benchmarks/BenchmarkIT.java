package dev.leaderelection.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the benchmark: one trial of each measurement by default (so it never rots), the full run
 * with {@code -Dbenchmark.mode=full}, which writes docs/benchmarks.md and its chart. Asserts only
 * that every measurement produced a figure; speed goals are reported, never asserted.
 */
@ExtendWith(KubernetesApiServerExtension.class)
class BenchmarkIT {

  @Test
  @Timeout(value = 2, unit = TimeUnit.HOURS)
  void everyMeasurementShouldProduceFigures(KubernetesApiServer server) throws Exception {
    BenchmarkRunner.Mode mode = BenchmarkRunner.Mode.valueOf(
        System.getProperty("benchmark.mode", "quick").toUpperCase(Locale.ROOT));
    Path clientJava = Path.of(System.getProperty("benchmark.clientJavaDir"));
    BenchmarkRunner.Results results = new BenchmarkRunner(mode, clientJava, server).run();

    Path dir = mode == BenchmarkRunner.Mode.FULL
        ? Path.of(System.getProperty("benchmark.docsDir")) : Path.of("target", "benchmarks");
    Path markdown = dir.resolve("benchmarks.md");
    Report.write(results, markdown, dir.resolve("benchmarks.png"),
        "./mvnw -pl leaderelection-benchmarks -am verify -Dbenchmark.mode=" + mode.name()
            .toLowerCase(Locale.ROOT));
    System.out.println(Files.readString(markdown));

    assertThat(results.crash.values()).allSatisfy(d -> assertThat(d.count()).isEqualTo(mode.trials));
    assertThat(results.handover.values())
        .allSatisfy(d -> assertThat(d.count()).isEqualTo(mode.trials));
    assertThat(results.traffic).hasSize(BenchmarkRunner.libraries().size());
    assertThat(results.footprints).hasSize(mode.footprints.size());
    assertThat(results.onLeader).isPresent();
    assertThat(dir.resolve("benchmarks.png")).exists();
  }
}
