package dev.leaderelection.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ends the child processes tests start (servers, launchers, candidates). */
public final class ChildProcesses {

  /** How long a process killed with SIGKILL is waited for before the caller moves on. */
  private static final Duration KILLED_EXIT = Duration.ofSeconds(10);

  private ChildProcesses() {
  }

  /**
   * Stops {@code process} as SIGTERM does and waits up to {@code grace} for it to exit, then
   * kills it (SIGKILL) and waits a little more. An interrupt kills it at once and stays set on
   * the calling thread. Does nothing for {@code null}.
   */
  public static void stop(Process process, Duration grace) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Kills {@code process} (SIGKILL) and waits a little for it to exit. */
  public static void kill(Process process) throws InterruptedException {
    process.destroyForcibly().waitFor(KILLED_EXIT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
