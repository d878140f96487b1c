package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.testing.ArchitectureRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Classes a maintainer reads in one sitting: the size limits of the core's main code. */
class SourceSizeTest {

  private static final Path MAIN = Path.of("src/main/java");

  @Test
  void noMainClassShouldExceedFourHundredLines() {
    assertThat(ArchitectureRules.sourceFilesLongerThan(MAIN, 400)).isEmpty();
  }

  /** client-go's loop, plus the rules that keep yield, pause and close as safe as faults. */
  @Test
  void electionLoopShouldReadOnTwoScreens() {
    assertThat(ArchitectureRules.lines(
        MAIN.resolve("dev/leaderelection/internal/election/ElectionLoop.java")))
        .isLessThanOrEqualTo(380);
  }
}
