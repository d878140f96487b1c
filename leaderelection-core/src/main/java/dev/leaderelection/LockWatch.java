package dev.leaderelection;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a watch on the lock while the election runs, and reconnects with exponential backoff
 * (from the retry period up to 30 seconds) when it breaks; the backoff starts over once a watch
 * stayed up for 30 seconds. Events of an earlier, broken watch are ignored. Thread-safe.
 */
final class LockWatch {

  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);
  private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(30).toNanos();

  private final LeaseLock lock;
  private final ElectionConfig config;
  private final Consumer<Optional<LeaderRecord>> changes;
  private final Runnable onBroken;
  private final Runnable onConnected;
  private final LogThrottle unavailableLog;
  private volatile @Nullable LeaseLockException lastFailure;
  private @Nullable AutoCloseable handle;
  private @Nullable Future<?> reconnect;
  private volatile boolean healthy;
  private int generation;
  private int failures;
  private long healthySinceNanos;
  private boolean closed;

  /**
   * @param changes receives the changes of the current watch
   * @param onBroken runs when a healthy watch breaks, so the election reads at once
   * @param onConnected runs when a watch opens: the API answered
   */
  LockWatch(LeaseLock lock, ElectionConfig config, Consumer<Optional<LeaderRecord>> changes,
      Runnable onBroken, Runnable onConnected) {
    this.lock = lock;
    this.config = config;
    this.changes = changes;
    this.onBroken = onBroken;
    this.onConnected = onConnected;
    this.unavailableLog = new LogThrottle(config.ticker(), Duration.ofMinutes(1));
  }

  /** Whether a watch delivers changes now; when not, the election polls. */
  boolean isHealthy() {
    return healthy;
  }

  /** Why the election polls instead of watching: the last watch failure, until one opens. */
  Optional<LeaseLockException> failure() {
    return Optional.ofNullable(lastFailure);
  }

  /** Opens a watch on the executor, never on the caller's or the scheduler's thread. */
  void start() {
    try {
      config.executor().execute(this::open);
    } catch (RejectedExecutionException e) {
      log.debug("Not watching {}: the executor refused", lock.describe());
    }
  }

  private void open() {
    Attempt attempt;
    synchronized (this) {
      if (closed) {
        return;
      }
      attempt = new Attempt(++generation);
    }
    try {
      Optional<AutoCloseable> started = lock.watch(attempt);
      synchronized (this) {
        if (started.isEmpty()) {
          return;
        }
        if (closed || attempt.broken || attempt.number != generation) {
          closeQuietly(started.get());
          return;
        }
        handle = started.get();
        healthy = true;
        healthySinceNanos = config.ticker().read();
        lastFailure = null;
      }
      onConnected.run();
    } catch (LeaseLockException e) {
      attempt.broken(e);
    } catch (Exception e) {
      // Also checked exceptions thrown undeclared (Kotlin libraries such as OkHttp do).
      attempt.broken(new LeaseLockException("cannot watch " + lock.describe() + ": "
          + e.getMessage(), e));
    }
  }

  synchronized void close() {
    closed = true;
    healthy = false;
    if (reconnect != null) {
      reconnect.cancel(false);
    }
    closeQuietly(handle);
    handle = null;
  }

  private void broken(int brokenGeneration, LeaseLockException cause) {
    if (reconnectLater(brokenGeneration, cause)) {
      onBroken.run();
    }
  }

  private synchronized boolean reconnectLater(int brokenGeneration, LeaseLockException cause) {
    if (brokenGeneration != generation || closed) {
      return false;
    }
    boolean wasHealthy = healthy;
    healthy = false;
    handle = null;
    lastFailure = cause;
    if (!wasHealthy && unavailableLog.allow()) {
      log.info("Cannot watch {} ({}): followers poll it every retry period instead, until a "
          + "watch opens", lock.describe(), cause.getMessage());
    }
    if (wasHealthy && config.ticker().read() - healthySinceNanos >= MAX_BACKOFF_NANOS) {
      failures = 0;
    }
    long delay = Math.min(config.retryPeriodNanos() << Math.min(failures, 20), MAX_BACKOFF_NANOS);
    failures++;
    log.debug("Watch on {} broke ({}); polling, watching again in {} ms", lock.describe(),
        cause.getMessage(), NANOSECONDS.toMillis(delay));
    try {
      reconnect = config.scheduler().schedule(this::start, delay, NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("Not watching {} again: the scheduler is shut down", lock.describe());
    }
    return wasHealthy;
  }

  private synchronized boolean isCurrent(int eventGeneration) {
    if (eventGeneration == generation && !closed) {
      return true;
    }
    return false;
  }

  private static void closeQuietly(@Nullable AutoCloseable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.debug("Closing a watch failed", e);
      }
    }
  }

  /** One watch; its events count only while it is the newest. */
  private final class Attempt implements RecordWatcher {

    private final int number;
    private volatile boolean broken;

    Attempt(int number) {
      this.number = number;
    }

    @Override
    public void changed(Optional<LeaderRecord> record) {
      if (isCurrent(number)) {
        changes.accept(record);
      }
    }

    @Override
    public void broken(LeaseLockException cause) {
      broken = true;
      LockWatch.this.broken(number, cause);
    }
  }
}
