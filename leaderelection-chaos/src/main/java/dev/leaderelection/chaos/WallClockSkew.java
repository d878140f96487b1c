package dev.leaderelection.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real wall-clock skew for a peer's candidate JVM, whose elector cannot be given a clock:
 * libfaketime (Debian's {@code libfaketime}) preloaded, shifting {@code CLOCK_REALTIME} only, so
 * {@code System.nanoTime()} (which the history is measured on) stays the host's monotonic clock.
 *
 * <p>libfaketime's fix for monotonic timed waits is turned off: with monotonic time left real, it
 * would shift the deadline of every {@code pthread_cond_timedwait} on the monotonic clock by the
 * skew, so {@code LockSupport.parkNanos} and {@code Object.wait(millis)} returned at once and
 * every timed wait in the JVM spun (fabric8 8.0.0 never started; the others ran at 100 % CPU).
 */
final class WallClockSkew {

  private WallClockSkew() {
  }

  /** The environment that runs a JVM with its wall clock {@code seconds} off; empty for 0. */
  static Map<String, String> environment(int seconds) {
    if (seconds == 0) {
      return Map.of();
    }
    Path library = library().orElseThrow(() -> new IllegalStateException("A peer's record clock "
        + "is skewed with libfaketime, which is not installed: run .ci/install-libfaketime "
        + "(Debian's libfaketime), or set LIBFAKETIME to its libfaketime.so.1"));
    return Map.of("LD_PRELOAD", library.toString(),
        "FAKETIME", (seconds > 0 ? "+" : "") + seconds + "s",
        "FAKETIME_DONT_FAKE_MONOTONIC", "1",
        "FAKETIME_FORCE_MONOTONIC_FIX", "0");
  }

  /** The libfaketime library: {@code LIBFAKETIME}, else Debian's path; empty when absent. */
  static Optional<Path> library() {
    String given = System.getenv("LIBFAKETIME");
    if (given != null && !given.isBlank()) {
      return Optional.of(Path.of(given)).filter(Files::isReadable);
    }
    return Stream.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
            "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
            "/usr/lib/faketime/libfaketime.so.1")
        .map(Path::of).filter(Files::isReadable).findFirst();
  }
}
