package dev.leaderelection.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The harness's control channel into a candidate of this library: one command a line on the
 * candidate's standard input, applied in order as it arrives (a command sent while the JVM is
 * stopped waits in the pipe). {@code YIELD <ms>} yields with that back-off, {@code PAUSE} and
 * {@code RESUME} pause and resume the elector, {@code STOP-WORK <ms>} makes the leader's work
 * take that long to stop from then on. Peers' candidates have no such operations and no channel.
 */
final class ControlChannel {

  /** What the channel controls: the elector's own operations, and the leader's work. */
  interface Controls {

    void yield(Duration backOff);

    void pause();

    void resume();

    /** From now on, the listener's {@code onStoppedLeading} blocks this long. */
    void stopWork(Duration stopping);
  }

  private ControlChannel() {
  }

  /** Reads commands from {@code in} on a daemon thread until it closes; reports errors. */
  static void start(InputStream in, Controls controls, PrintStream errors) {
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          try {
            apply(line, controls);
          } catch (RuntimeException e) {
            errors.println("control command '" + line + "' failed: " + e);
          }
        }
      } catch (IOException e) {
        // the harness closed the channel
      }
    }, "chaos-control");
    reader.setDaemon(true);
    reader.start();
  }

  /** Applies one command line to {@code controls}. */
  static void apply(String line, Controls controls) {
    String[] parts = line.trim().split(" ");
    switch (parts[0]) {
      case "YIELD" -> controls.yield(millis(parts, line));
      case "PAUSE" -> controls.pause();
      case "RESUME" -> controls.resume();
      case "STOP-WORK" -> controls.stopWork(millis(parts, line));
      default -> throw new IllegalArgumentException("unknown control command '" + line + "'");
    }
  }

  private static Duration millis(String[] parts, String line) {
    if (parts.length != 2) {
      throw new IllegalArgumentException("'" + line + "' needs one argument in milliseconds");
    }
    return Duration.ofMillis(Long.parseLong(parts[1]));
  }
}
