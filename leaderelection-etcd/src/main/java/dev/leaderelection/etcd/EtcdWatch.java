package dev.leaderelection.etcd;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.internal.WatchBackoff;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.RecordWatcher;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd watch on the record's key, kept up until closed. Every connection reads the record
 * first, then watches from the revision after that read, so no change is missed between the two;
 * once etcd confirms the watch it is reported as {@link RecordWatcher#connected()}, followed by
 * the record that was read and then every change. Any failure (the connection lost, etcd
 * restarting, history compacted past the revision, a refused permission, a value that is not a
 * record, or no confirmation within the request timeout) is reported as
 * {@link RecordWatcher#broken}, and a fresh connection, with a fresh read, follows after a
 * {@link WatchBackoff}. jetcd's own resumption is never used: its watcher is closed on the first
 * error. (etcd confirms a watch from a revision it already compacted, then cancels it at once;
 * such a watch is reported connected, with the record read, and then broken.) Everything runs on
 * one thread, the executor's, so the watcher hears one thing at a time
 * and in etcd's order; nothing is reported after {@link #close()}.
 */
final class EtcdWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);

  /** The record and the revision of the store when it was read. */
  record Snapshot(Optional<LeaderRecord> record, long revision) {
  }

  /** What a watch needs of its lock. */
  interface Source {

    /** Reads the record; throws {@link LeaseLockException} when it cannot. */
    Snapshot read();

    /** Decodes a value seen on the watch; throws {@link LeaseLockException} when invalid. */
    LeaderRecord decode(KeyValue value);

    /** Explains a failure of the watch. */
    LeaseLockException failure(Throwable cause);
  }

  private final Watch client;
  private final ByteSequence key;
  private final String description;
  private final Source source;
  private final RecordWatcher watcher;
  private final ScheduledExecutorService executor;
  private final LongSupplier nanoTime;
  private final Duration confirmTimeout;
  private final WatchBackoff backoff = new WatchBackoff();
  private volatile boolean closed;
  private volatile Watch.@Nullable Watcher current;
  // Only on the executor's thread:
  private long generation;
  private @Nullable Snapshot unconfirmed;

  /**
   * @param executor one thread for this watch, shut down on close
   * @param confirmTimeout how long etcd may take to confirm a new watch
   */
  EtcdWatch(Watch client, ByteSequence key, String description, Source source,
      RecordWatcher watcher, ScheduledExecutorService executor, LongSupplier nanoTime,
      Duration confirmTimeout) {
    this.client = client;
    this.key = key;
    this.description = description;
    this.source = source;
    this.watcher = watcher;
    this.executor = executor;
    this.nanoTime = nanoTime;
    this.confirmTimeout = confirmTimeout;
  }

  /** Connects on the executor; returns at once. */
  EtcdWatch start() {
    executor.execute(this::connect);
    return this;
  }

  @Override
  public void close() {
    closed = true;
    Watch.Watcher watching = current;
    if (watching != null) {
      closeQuietly(watching);
    }
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "watch on " + description;
  }

  private void connect() {
    if (closed) {
      return;
    }
    long connection = ++generation;
    try {
      Snapshot snapshot = source.read();
      unconfirmed = snapshot;
      WatchOption option = WatchOption.builder().withRevision(snapshot.revision() + 1)
          .withCreateNotify(true).withRequireLeader(true).build();
      Watch.Watcher opened = client.watch(key, option, listener(connection));
      current = opened;
      if (closed) {
        closeQuietly(opened);
        return;
      }
      executor.schedule(() -> confirmOrFail(connection), confirmTimeout.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (LeaseLockException e) {
      failed(e);
    } catch (RuntimeException e) {
      failed(source.failure(e));
    }
  }

  private Watch.Listener listener(long connection) {
    return new Watch.Listener() {
      @Override
      public void onNext(WatchResponse response) {
        runFor(connection, () -> received(response));
      }

      @Override
      public void onError(Throwable error) {
        runFor(connection, () -> failed(source.failure(error)));
      }

      @Override
      public void onCompleted() {
        runFor(connection, () -> failed(new LeaseLockException("etcd ended the " + this)));
      }

      @Override
      public String toString() {
        return EtcdWatch.this.toString();
      }
    };
  }

  /** Runs {@code task} on the executor unless closed or the connection was replaced meanwhile. */
  private void runFor(long connection, Runnable task) {
    try {
      executor.execute(() -> {
        if (!closed && connection == generation) {
          task.run();
        }
      });
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void received(WatchResponse response) {
    try {
      Snapshot snapshot = unconfirmed;
      if (snapshot != null) {
        unconfirmed = null;
        backoff.connected(nanoTime.getAsLong());
        watcher.connected();
        watcher.changed(snapshot.record());
      }
      for (WatchEvent event : response.getEvents()) {
        switch (event.getEventType()) {
          case PUT -> watcher.changed(Optional.of(source.decode(event.getKeyValue())));
          case DELETE -> watcher.changed(Optional.empty());
          default -> log.debug("{}: ignoring an event of type {}", this, event.getEventType());
        }
      }
    } catch (LeaseLockException e) {
      failed(e);
    }
  }

  private void confirmOrFail(long connection) {
    if (!closed && connection == generation && unconfirmed != null) {
      failed(new LeaseLockException("etcd did not confirm the " + this + " within "
          + confirmTimeout.toMillis() + "ms"));
    }
  }

  /** Reports the failure, ends this connection, and connects again after the backoff. */
  private void failed(LeaseLockException cause) {
    if (closed) {
      return;
    }
    generation++;
    unconfirmed = null;
    Watch.Watcher watching = current;
    current = null;
    if (watching != null) {
      closeQuietly(watching);
    }
    watcher.broken(cause);
    long delay = backoff.failedNanos(nanoTime.getAsLong());
    log.debug("{} broke ({}); connecting again in {} ms", this, cause.getMessage(),
        TimeUnit.NANOSECONDS.toMillis(delay));
    try {
      executor.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private void closeQuietly(Watch.Watcher watching) {
    try {
      watching.close();
    } catch (RuntimeException e) {
      log.debug("Closing the jetcd watcher of {} failed", this, e);
    }
  }
}
