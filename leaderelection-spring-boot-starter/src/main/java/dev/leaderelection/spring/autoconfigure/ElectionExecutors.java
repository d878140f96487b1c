package dev.leaderelection.spring.autoconfigure;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;

/**
 * The threads every elector of the application shares: one scheduler thread for rounds and
 * deadlines, and a pool for lock calls and listener callbacks that grows only while calls are in
 * flight. Shut down with the context, after the electors closed.
 */
final class ElectionExecutors implements DisposableBean {

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(threads("leader-election-scheduler"));
  private final ExecutorService workers =
      Executors.newCachedThreadPool(threads("leader-election-worker"));

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  ExecutorService workers() {
    return workers;
  }

  /** Lets callbacks in progress finish (briefly), then stops the threads. */
  @Override
  public void destroy() throws InterruptedException {
    scheduler.shutdownNow();
    workers.shutdown();
    if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
      workers.shutdownNow();
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
