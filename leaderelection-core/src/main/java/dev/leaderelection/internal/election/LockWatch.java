package dev.leaderelection.internal.election;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election's watch on its lock, opened once when the election starts and closed with it:
 * whether it is up (followers poll while it is not), why it is down, and the changes it delivers.
 * The lock keeps the watch up by itself (see {@link LeaseLock#watch}). Thread-safe.
 */
final class LockWatch {

  private static final Logger log = LoggerFactory.getLogger(LockWatch.class);

  private final LeaseLock lock;
  private final ElectionConfig config;
  private final Candidate me;
  private final Consumer<Optional<LeaderRecord>> changes;
  private final Runnable onBroken;
  private final Runnable onConnected;
  private final LogThrottle unavailableLog;
  private volatile @Nullable LeaseLockException lastFailure;
  private volatile boolean healthy;
  private @Nullable AutoCloseable handle;
  private volatile boolean closed;
  private final AtomicReference<@Nullable LeaderRecord> release = new AtomicReference<>();

  /**
   * @param changes receives the changes the watch delivers
   * @param onBroken runs when a healthy watch breaks, so the election reads at once
   * @param onConnected runs when the watch is up: the API answered
   */
  LockWatch(ElectionConfig config, Consumer<Optional<LeaderRecord>> changes, Runnable onBroken,
      Runnable onConnected) {
    this.lock = config.lock();
    this.config = config;
    this.me = new Candidate(config);
    this.changes = changes;
    this.onBroken = onBroken;
    this.onConnected = onConnected;
    this.unavailableLog = new LogThrottle(config.ticker(), Duration.ofMinutes(1));
  }

  /** Whether the watch delivers changes now; when not, the election polls. */
  boolean isHealthy() {
    return healthy;
  }

  /** Why the election polls instead of watching: the last watch failure, until it is up. */
  Optional<LeaseLockException> failure() {
    return Optional.ofNullable(lastFailure);
  }

  /** Asks the lock for a watch on the executor, never on the caller's or the scheduler's thread. */
  void start() {
    try {
      config.executor().execute(this::open);
    } catch (RejectedExecutionException e) {
      log.debug("Not watching {}: the executor refused", lock.describe());
    }
  }

  /**
   * How long a follower may wait without a request while this watch is healthy: until the lease
   * it saw ({@code seen}) expires, or the watch was silent too long; 0 when it must act now.
   */
  long followerMayWaitNanos(@Nullable Observation seen, LockCalls calls) {
    if (!healthy || seen == null) {
      return 0;
    }
    long now = config.ticker().read();
    return Math.min(me.mayWaitFor(seen, now), calls.untilSilenceCheck(now));
  }

  /**
   * The last release (a free record with a version) this watch delivered, once, when it is still
   * the state {@code current} shows: a follower may take the lease from it without a read.
   */
  Optional<LeaderRecord> takeRelease(@Nullable Observation current) {
    LeaderRecord released = release.getAndSet(null);
    return released != null && current != null && current.isSameVersion(released)
        ? Optional.of(released) : Optional.empty();
  }

  synchronized void close() {
    closed = true;
    healthy = false;
    closeQuietly(handle);
    handle = null;
  }

  private void open() {
    Optional<AutoCloseable> started;
    try {
      started = lock.watch(new Watcher());
    } catch (RuntimeException e) {
      lastFailure = e instanceof LeaseLockException failure ? failure
          : new LeaseLockException("cannot watch " + lock.describe() + ": " + e.getMessage(), e);
      log.warn("{} could not start a watch; followers poll it every retry period", lock.describe(),
          e);
      return;
    }
    synchronized (this) {
      if (closed) {
        started.ifPresent(LockWatch::closeQuietly);
      } else {
        handle = started.orElse(null);
      }
    }
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

  /** What the lock reports of its watch; ignored once the election closed. */
  private final class Watcher implements RecordWatcher {

    @Override
    public void connected() {
      synchronized (LockWatch.this) {
        if (closed) {
          return;
        }
        healthy = true;
        lastFailure = null;
      }
      onConnected.run();
    }

    @Override
    public void changed(Optional<LeaderRecord> record) {
      if (!closed) {
        record.filter(free -> !free.isHeld() && free.version() != null).ifPresent(release::set);
        changes.accept(record);
      }
    }

    @Override
    public void broken(LeaseLockException cause) {
      boolean wasHealthy;
      synchronized (LockWatch.this) {
        if (closed) {
          return;
        }
        wasHealthy = healthy;
        healthy = false;
        lastFailure = cause;
      }
      if (!wasHealthy && unavailableLog.allow()) {
        log.info("Cannot watch {} ({}): followers poll it every retry period instead, until the "
            + "watch is up", lock.describe(), cause.getMessage());
      }
      log.debug("Watch on {} is down ({}); polling until the lock reconnects", lock.describe(),
          cause.getMessage());
      if (wasHealthy) {
        onBroken.run();
      }
    }
  }
}
