package dev.leaderelection.internal.election;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The threads of one elector: those its builder was given, else its own (daemon threads named
 * after the lock), which the elector shuts down when it closes. Not thread-safe: used by one
 * builder. Public for {@link dev.leaderelection.LeaderElector.Builder} and
 * {@link dev.leaderelection.ElectionThreads} alone.
 */
public final class OwnThreads {

  private final String lock;
  private final List<ExecutorService> owned = new ArrayList<>();

  public OwnThreads(String lockDescription) {
    this.lock = lockDescription;
  }

  public ScheduledExecutorService scheduler(@Nullable ScheduledExecutorService given) {
    return given != null ? given
        : own(Executors.newSingleThreadScheduledExecutor(threads("scheduler")));
  }

  public Executor lockCalls(@Nullable Executor given) {
    return given != null ? given : own(Executors.newCachedThreadPool(threads("worker")));
  }

  public Executor callbacks(@Nullable Executor given) {
    return given != null ? given : own(Executors.newSingleThreadExecutor(threads("callbacks")));
  }

  /** The executors made here, for the elector to shut down. */
  public List<ExecutorService> owned() {
    return List.copyOf(owned);
  }

  /** Daemon threads named by their number (from 1); for every thread pool of the elector. */
  public static ThreadFactory daemonThreads(IntFunction<String> name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name.apply(count.incrementAndGet()));
      thread.setDaemon(true);
      return thread;
    };
  }

  private <T extends ExecutorService> T own(T executor) {
    owned.add(executor);
    return executor;
  }

  private ThreadFactory threads(String role) {
    return daemonThreads(number -> "leader-elector-" + role + "-" + number + " " + lock);
  }
}
