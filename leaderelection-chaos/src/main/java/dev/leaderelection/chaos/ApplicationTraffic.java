package dev.leaderelection.chaos;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application's own traffic on the client its elector uses, as a busy application makes it:
 * {@code calls} requests kept in flight at once (each one answered, or failed, is sent again at
 * once) and {@code watches} watches kept open, all on ConfigMaps of one namespace. It counts the
 * requests answered and failed. Thread-safe.
 */
abstract class ApplicationTraffic implements AutoCloseable {

  /** How much traffic: requests kept in flight, and watches kept open. */
  record Load(int calls, int watches) {

    /** {@code 100x20}: 100 requests in flight, 20 watches. */
    static Load parse(String text) {
      String[] parts = text.split("x");
      if (parts.length != 2) {
        throw new IllegalArgumentException("traffic '" + text + "' must look like 100x20 "
            + "(requests in flight x watches)");
      }
      return new Load(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    @Override
    public String toString() {
      return calls + "x" + watches;
    }
  }

  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Starts the load; returns at once. */
  abstract void start(Load load);

  /** Stops the load: no request is sent any more, and the watches end. */
  abstract void stop();

  final void answered() {
    answered.incrementAndGet();
  }

  final void failed() {
    failed.incrementAndGet();
  }

  final boolean isClosed() {
    return closed.get();
  }

  /** The requests answered and failed so far, as the candidate reports them. */
  final String counts() {
    return answered.get() + " " + failed.get();
  }

  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      stop();
    }
  }

  /** A daemon thread named {@code name} running {@code body}. */
  static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
