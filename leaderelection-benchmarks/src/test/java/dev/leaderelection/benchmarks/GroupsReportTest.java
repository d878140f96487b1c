package dev.leaderelection.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.benchmarks.BenchmarkRunner.Mode;
import dev.leaderelection.benchmarks.GroupsRunner.Approach;
import dev.leaderelection.benchmarks.GroupsRunner.ChangeRow;
import dev.leaderelection.benchmarks.GroupsRunner.Rates;
import dev.leaderelection.benchmarks.GroupsRunner.Result;
import dev.leaderelection.benchmarks.GroupsRunner.Setup;
import dev.leaderelection.benchmarks.GroupsRunner.Steady;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupsReportTest {

  @TempDir
  Path dir;

  @Test
  void groupsRunShouldReplaceOnlyItsSectionOfTheReport() throws IOException {
    Path markdown = dir.resolve("benchmarks.md");
    Files.writeString(markdown, "# Benchmarks\n\nthe peers' tables\n\n" + GroupsReport.START
        + "\nold groups figures\n" + GroupsReport.END + "\n\nafter\n");

    GroupsReport.write(List.of(result()), Mode.QUICK, markdown, "the command", "1.00");

    String written = Files.readString(markdown);
    assertThat(written).startsWith("# Benchmarks\n\nthe peers' tables\n\n" + GroupsReport.START)
        .endsWith(GroupsReport.END + "\n\nafter\n")
        .doesNotContain("old groups figures")
        .contains("Written by `the command` (mode quick)",
            "| leaderelection `ShardGroup` | 64 | 3 | 15s/10s/2s | [22, 21, 21] | 1 | 0 "
                + "| 1950.0 (1920) | 1950.0 |",
            "| leaderelection `ShardGroup` | 64 | 3 | join | 1200 ms | 0 ms | 16 (16) | 85 ms | 1 |",
            "| leaderelection `ShardGroup` | 64 | 3 | SIGKILL | not within 57 s | 15.1 s "
                + "| 21 (21) | 15.1 s | 2 |",
            "Camel `camel-kubernetes` cluster service with `rebalancing` | | | | not run: Camel's",
            "Safety: 0 shard terms overlapped",
            "| spread ≤ 1 at steady state, 64 shards over 3 (15s/10s/2s) | met: spread 1, 0 "
                + "unowned |",
            "| join: balanced within 2 × RP plus the hand-over, 64 shards over 3 (15s/10s/2s) "
                + "| met: 1200 ms (bound 4085 ms) |",
            "| SIGKILL: balanced within LD + 2 × RP, 64 shards over 3 (15s/10s/2s) | **missed**: "
                + "not within 57 s (bound 19.0 s) |",
            "| graceful leave: no shard without owner for 100 ms, 64 shards over 3 (15s/10s/2s) "
                + "| met: longest 40 ms |",
            "| join: no shard without owner for 100 ms, 64 shards over 3 (15s/10s/2s) | met: "
                + "longest 85 ms |");
  }

  @Test
  void missingReportShouldBeCreatedWithTheSectionOnly() throws IOException {
    Path markdown = dir.resolve("target").resolve("benchmarks.md");

    GroupsReport.write(List.of(result()), Mode.QUICK, markdown, "the command", "1.00");

    assertThat(Files.readString(markdown)).startsWith("# Benchmarks\n\n" + GroupsReport.START)
        .endsWith(GroupsReport.END + "\n");
  }

  private static Result result() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("member-a", 22);
    counts.put("member-b", 21);
    counts.put("member-c", 21);
    RequestRate rate = new RequestRate(1950, Duration.ofSeconds(30));
    long second = 1_000_000_000L;
    return new Result(new Setup(64, 3, BenchmarkRunner.DEFAULTS), Approach.GROUP,
        new Steady(counts, 0, new Rates(rate, rate)),
        List.of(new ChangeRow("join", "member-d", new ShardTimeline.Change(
                OptionalLong.of(1_200_000_000L), OptionalLong.of(0), 16, 16, 85_000_000L, false, 1),
                20 * second),
            new ChangeRow("graceful leave", "member-a", new ShardTimeline.Change(
                OptionalLong.of(300_000_000L), OptionalLong.of(300_000_000L), 16, 16,
                40_000_000L, false, 1), 20 * second),
            new ChangeRow("SIGKILL", "member-b", new ShardTimeline.Change(OptionalLong.empty(),
                OptionalLong.of(15_100_000_000L), 21, 21, 15_100_000_000L, false, 2),
                57 * second)),
        List.of(), List.of());
  }
}
