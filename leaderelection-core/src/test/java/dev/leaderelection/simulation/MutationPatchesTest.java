package dev.leaderelection.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The mistakes {@code testing/simulation-mutations/run} re-introduces still apply to today's
 * election code, so the table of how fast the simulator finds them can always be written again.
 * A change to the lines a patch touches must regenerate the patch.
 */
class MutationPatchesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path PATCHES = ROOT.resolve("testing/simulation-mutations");

  @Test
  void everyMutationPatchShouldApplyToTodaysElection() throws Exception {
    assumeTrue(Files.exists(ROOT.resolve(".git")),
        "not a git checkout; skipped");
    List<Path> patches;
    try (Stream<Path> files = Files.list(PATCHES)) {
      patches = files.filter(path -> path.toString().endsWith(".patch")).sorted().toList();
    }
    assertThat(patches).as("mutation patches").hasSizeGreaterThanOrEqualTo(7);

    List<String> stale = new ArrayList<>();
    for (Path patch : patches) {
      String refused = gitApplyCheck(patch);
      if (!refused.isEmpty()) {
        stale.add(patch.getFileName() + ": " + refused);
      }
    }

    assertThat(stale).as("patches that no longer apply (regenerate them against the code)")
        .isEmpty();
  }

  /** {@code git apply --check}'s complaint, empty when the patch applies. */
  private static String gitApplyCheck(Path patch) throws IOException, InterruptedException {
    Process git = new ProcessBuilder("git", "apply", "--check", patch.toString())
        .directory(ROOT.toFile()).redirectErrorStream(true).start();
    assertThat(git.waitFor(30, TimeUnit.SECONDS)).as("git apply ended").isTrue();
    String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return git.exitValue() == 0 ? "" : output.trim();
  }
}
