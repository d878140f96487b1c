package dev.leaderelection;

import dev.leaderelection.internal.election.OwnThreads;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Threads that any number of electors share, so an application's threads do not grow with its
 * elections: one scheduler thread for rounds and deadlines, a fixed number of threads for lock
 * calls, and a pool for listener calls that keeps no thread while no listener runs.
 *
 * <pre>{@code
 * ElectionThreads threads = ElectionThreads.create(ElectionThreads.DEFAULT_LOCK_CALL_THREADS);
 * LeaderElector elector = LeaderElector.builder(lock, identity).threads(threads).build();
 * }</pre>
 *
 * <p>The lock-call threads run the rounds: their decisions, and the calls of locks that block.
 * A lock that calls without blocking (the Kubernetes locks, on an OkHttp dispatcher of their own)
 * holds no thread while its store answers, so a round takes a thread for microseconds and any
 * number of elections share a few threads; how many requests run at once is then the lock's
 * limit (the Kubernetes locks: 2 per lock, 4 to 64 per {@code KubernetesLocks}). A blocking
 * call holds its thread for at most the lock's request timeout: with {@code n} elections on
 * blocking locks that answer in {@code t}, one round of all of them takes about
 * {@code n * t / lockCallThreads}; keep that well below the retry period. An elector whose rounds
 * wait a quarter of its renew deadline for a thread warns (at most once a minute).
 *
 * <p>Close it after the electors that use it. Thread-safe.
 *
 * @since 0.1.0
 */
public final class ElectionThreads implements AutoCloseable {

  /**
   * Lock-call threads enough for a thousand elections on non-blocking locks, or about a hundred
   * on blocking ones, on a healthy store.
   */
  public static final int DEFAULT_LOCK_CALL_THREADS = 2;

  /**
   * The most lock-call threads: the pool keeps that many alive while rounds come faster than
   * they time out, and rounds that hold a thread only for their decisions never need more.
   *
   * @since 0.3.0
   */
  public static final int MAX_LOCK_CALL_THREADS = 64;

  private final ScheduledThreadPoolExecutor scheduler;
  private final ThreadPoolExecutor lockCallPool;
  private final ThreadPoolExecutor callbackPool;

  private ElectionThreads(int lockCallThreads) {
    scheduler = new ScheduledThreadPoolExecutor(1, threads("leader-election-scheduler"));
    scheduler.setRemoveOnCancelPolicy(true);
    lockCallPool = new ThreadPoolExecutor(lockCallThreads, lockCallThreads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), threads("leader-election-lock-call"));
    lockCallPool.allowCoreThreadTimeOut(true);
    callbackPool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
        new SynchronousQueue<>(), threads("leader-election-callback"));
  }

  /**
   * Creates the threads (each is started when first needed).
   *
   * @param lockCallThreads how many lock calls may run at once, 1 to {@value #MAX_LOCK_CALL_THREADS}
   * @throws IllegalArgumentException when {@code lockCallThreads} is out of that range
   */
  public static ElectionThreads create(int lockCallThreads) {
    if (lockCallThreads < 1 || lockCallThreads > MAX_LOCK_CALL_THREADS) {
      throw new IllegalArgumentException("lockCallThreads is " + lockCallThreads
          + " but must be between 1 and " + MAX_LOCK_CALL_THREADS);
    }
    return new ElectionThreads(lockCallThreads);
  }

  /** How many lock calls may run at once. */
  public int lockCallThreads() {
    return lockCallPool.getMaximumPoolSize();
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  Executor lockCalls() {
    return lockCallPool;
  }

  Executor callbacks() {
    return callbackPool;
  }

  /**
   * Stops the scheduler and the lock calls at once, and gives listener calls in progress up to
   * five seconds to finish. Electors still using these threads stop working.
   */
  @Override
  public void close() {
    scheduler.shutdownNow();
    lockCallPool.shutdownNow();
    callbackPool.shutdown();
    try {
      if (!callbackPool.awaitTermination(5, TimeUnit.SECONDS)) {
        callbackPool.shutdownNow();
      }
    } catch (InterruptedException e) {
      callbackPool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory threads(String prefix) {
    return OwnThreads.daemonThreads(number -> prefix + "-" + number);
  }
}
