package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A skewed JVM gets the skew on its wall clock and nothing else: its timed waits still wait. Runs
 * where libfaketime is installed ({@code .ci/install-libfaketime}); skipped elsewhere.
 */
class WallClockSkewTest {

  private static final int PARKS = 10;
  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  @Test
  void skewedJvmShouldSeeItsWallClockMovedAndStillWaitOnTimedParks() throws Exception {
    assumeTrue(WallClockSkew.library().isPresent(), "libfaketime is not installed; skipped");

    long before = System.currentTimeMillis();
    String[] answer = runSkewed(-30).split(" ");
    long after = System.currentTimeMillis();

    long childWall = Long.parseLong(answer[0]);
    long parkCalls = Long.parseLong(answer[1]);
    assertThat(childWall).as("the child's wall clock, 30 s behind ours")
        .isBetween(before - 31_000, after - 29_000);
    // Before FAKETIME_FORCE_MONOTONIC_FIX=0, every timed park returned at once, so waiting out
    // ten 50 ms deadlines took hundreds of thousands of calls; a real wait takes one each.
    assertThat(parkCalls).as("parkNanos calls to wait out %d deadlines of 50 ms", PARKS)
        .isLessThan(10L * PARKS);
  }

  private static String runSkewed(int seconds) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp",
        System.getProperty("java.class.path"), TimedParks.class.getName())
        .redirectErrorStream(true);
    builder.environment().putAll(WallClockSkew.environment(seconds));
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the skewed JVM ended").isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    return output.trim();
  }

  /** The child: prints its wall clock and how many timed parks waiting out the deadlines took. */
  static final class TimedParks {

    public static void main(String[] args) {
      long wall = System.currentTimeMillis();
      long calls = 0;
      for (int i = 0; i < PARKS; i++) {
        long deadline = System.nanoTime() + PARK_NANOS;
        for (long left = PARK_NANOS; left > 0; left = deadline - System.nanoTime()) {
          LockSupport.parkNanos(left);
          calls++;
        }
      }
      System.out.println(wall + " " + calls);
    }
  }
}
