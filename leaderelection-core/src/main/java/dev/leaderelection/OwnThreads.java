package dev.leaderelection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * The threads of one elector: those its builder was given, else its own (daemon threads named
 * after the lock), which the elector shuts down when it closes. Not thread-safe: used by one
 * builder.
 */
final class OwnThreads {

  private final String lock;
  private final List<ExecutorService> owned = new ArrayList<>();

  OwnThreads(String lockDescription) {
    this.lock = lockDescription;
  }

  ScheduledExecutorService scheduler(@Nullable ScheduledExecutorService given) {
    return given != null ? given
        : own(Executors.newSingleThreadScheduledExecutor(threads("scheduler")));
  }

  Executor lockCalls(@Nullable Executor given) {
    return given != null ? given : own(Executors.newCachedThreadPool(threads("worker")));
  }

  Executor callbacks(@Nullable Executor given) {
    return given != null ? given : own(Executors.newSingleThreadExecutor(threads("callbacks")));
  }

  /** The executors made here, for the elector to shut down. */
  List<ExecutorService> owned() {
    return List.copyOf(owned);
  }

  private <T extends ExecutorService> T own(T executor) {
    owned.add(executor);
    return executor;
  }

  private ThreadFactory threads(String role) {
    return ElectionThreads.daemonThreads(
        number -> "leader-elector-" + role + "-" + number + " " + lock);
  }
}
