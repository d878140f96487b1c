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
import java.util.List;
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
 * One etcd watch on the record's key (or, through a {@link Feed}, on any key or prefix), kept up
 * until closed. Every connection reads the record first, then watches from the revision after
 * that read, so no change is missed between the two;
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

  /**
   * What a watch reads and tells: the general form of a {@link Source} and its
   * {@link RecordWatcher}, for watches of something other than one record (a prefix). Called on
   * the watch's thread only.
   */
  interface Feed {

    /**
     * Reads what is watched and keeps it for {@link #connected()}; returns the store's revision
     * at the read. Throws {@link LeaseLockException} when it cannot read.
     */
    long read();

    /** etcd confirmed the watch: tells what the last {@link #read()} read. */
    void connected();

    /** The events of one watch response; throws {@link LeaseLockException} on an invalid one. */
    void received(List<WatchEvent> events);

    /** The watch is down; a fresh read and watch follow. */
    void broken(LeaseLockException cause);

    /** Explains a failure of the watch. */
    LeaseLockException failure(Throwable cause);
  }

  private final Watch client;
  private final ByteSequence key;
  private final boolean prefix;
  private final String description;
  private final Feed feed;
  private final ScheduledExecutorService executor;
  private final LongSupplier nanoTime;
  private final Duration confirmTimeout;
  private final WatchBackoff backoff = new WatchBackoff();
  private volatile boolean closed;
  private volatile Watch.@Nullable Watcher current;
  // Only on the executor's thread:
  private long generation;
  private boolean unconfirmed;

  /**
   * A watch on the record's key.
   *
   * @param executor one thread for this watch, shut down on close
   * @param confirmTimeout how long etcd may take to confirm a new watch
   */
  EtcdWatch(Watch client, ByteSequence key, String description, Source source,
      RecordWatcher watcher, ScheduledExecutorService executor, LongSupplier nanoTime,
      Duration confirmTimeout) {
    this(client, key, false, description, new RecordFeed(source, watcher), executor, nanoTime,
        confirmTimeout);
  }

  /**
   * A watch on {@code key}, or on every key under it when {@code prefix}, told to {@code feed}.
   *
   * @param executor one thread for this watch, shut down on close
   * @param confirmTimeout how long etcd may take to confirm a new watch
   */
  EtcdWatch(Watch client, ByteSequence key, boolean prefix, String description, Feed feed,
      ScheduledExecutorService executor, LongSupplier nanoTime, Duration confirmTimeout) {
    this.client = client;
    this.key = key;
    this.prefix = prefix;
    this.description = description;
    this.feed = feed;
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
      long revision = feed.read();
      unconfirmed = true;
      WatchOption option = WatchOption.builder().withRevision(revision + 1).isPrefix(prefix)
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
      failed(feed.failure(e));
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
        runFor(connection, () -> failed(feed.failure(error)));
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
      if (unconfirmed) {
        unconfirmed = false;
        backoff.connected(nanoTime.getAsLong());
        feed.connected();
      }
      feed.received(response.getEvents());
    } catch (LeaseLockException e) {
      failed(e);
    }
  }

  private void confirmOrFail(long connection) {
    if (!closed && connection == generation && unconfirmed) {
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
    unconfirmed = false;
    Watch.Watcher watching = current;
    current = null;
    if (watching != null) {
      closeQuietly(watching);
    }
    feed.broken(cause);
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

  /** The record's key told to a {@link RecordWatcher}: connected, the record read, each change. */
  private static final class RecordFeed implements Feed {

    private final Source source;
    private final RecordWatcher watcher;
    private @Nullable Snapshot read;

    RecordFeed(Source source, RecordWatcher watcher) {
      this.source = source;
      this.watcher = watcher;
    }

    @Override
    public long read() {
      Snapshot snapshot = source.read();
      read = snapshot;
      return snapshot.revision();
    }

    @Override
    public void connected() {
      watcher.connected();
      Snapshot snapshot = read;
      if (snapshot != null) {
        watcher.changed(snapshot.record());
      }
    }

    @Override
    public void received(List<WatchEvent> events) {
      for (WatchEvent event : events) {
        switch (event.getEventType()) {
          case PUT -> watcher.changed(Optional.of(source.decode(event.getKeyValue())));
          case DELETE -> watcher.changed(Optional.empty());
          default -> log.debug("{}: ignoring an event of type {}", watcher, event.getEventType());
        }
      }
    }

    @Override
    public void broken(LeaseLockException cause) {
      watcher.broken(cause);
    }

    @Override
    public LeaseLockException failure(Throwable cause) {
      return source.failure(cause);
    }
  }
}
