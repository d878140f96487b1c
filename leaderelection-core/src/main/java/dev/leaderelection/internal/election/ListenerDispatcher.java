package dev.leaderelection.internal.election;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.StepDownReason;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to listeners one at a time, in the order they were posted, on the
 * callback executor, so that a slow listener never holds up the election loop.
 *
 * <p>{@link #post} only queues, so the election may post while holding its monitor and so fix the
 * order; {@link #flush} hands the queue to the executor and must be called without that monitor,
 * because a direct executor runs listeners on the calling thread.
 */
final class ListenerDispatcher {

  private static final Logger log = LoggerFactory.getLogger(ListenerDispatcher.class);

  private final List<LeadershipListener> listeners;
  private final Executor executor;
  private final Queue<Runnable> pending = new ArrayDeque<>();
  private boolean draining;
  private volatile boolean stopped;

  ListenerDispatcher(List<LeadershipListener> listeners, Executor executor) {
    this.listeners = List.copyOf(listeners);
    this.executor = executor;
  }

  /**
   * The elector has closed: notifications still posted (late observations) are of no use, and an
   * executor that refuses them, being shut down, is expected.
   */
  void stop() {
    stopped = true;
  }

  /** A notification for the listeners, to {@link #post}. */
  record Notification(String callback, Consumer<LeadershipListener> call) {
  }

  static Notification started(LeaderContext context) {
    return new Notification("onStartedLeading", listener -> listener.onStartedLeading(context));
  }

  static Notification newLeader(String identity) {
    return new Notification("onNewLeader", listener -> listener.onNewLeader(identity));
  }

  void stoppedLeading(LeaderContext context, StepDownReason reason) {
    post(new Notification("onStoppedLeading",
        listener -> listener.onStoppedLeading(context, reason)));
    flush();
  }

  /** Completes once every notification posted before this call has been delivered. */
  CompletableFuture<Void> delivered() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    enqueue(() -> done.complete(null));
    flush();
    return done;
  }

  /** Queues a notification without delivering it; call {@link #flush()} afterwards. */
  void post(Notification notification) {
    if (!listeners.isEmpty()) {
      enqueue(() -> deliver(notification));
    }
  }

  /** Starts delivering queued notifications on the executor, unless already under way. */
  void flush() {
    synchronized (pending) {
      if (draining || pending.isEmpty()) {
        return;
      }
      draining = true;
    }
    try {
      executor.execute(this::drain);
    } catch (RuntimeException e) {
      synchronized (pending) {
        draining = false;
      }
      if (stopped) {
        log.debug("Notifications after the elector closed were not delivered", e);
      } else {
        log.error("Could not deliver leadership notifications: the callback executor refused",
            e);
      }
    }
  }

  private void enqueue(Runnable task) {
    synchronized (pending) {
      pending.add(task);
    }
  }

  private void deliver(Notification notification) {
    for (LeadershipListener listener : listeners) {
      try {
        notification.call().accept(listener);
      } catch (RuntimeException | LinkageError | AssertionError e) {
        log.error("Leadership listener {} failed in {}", listener, notification.callback(), e);
      }
    }
  }

  private void drain() {
    try {
      while (true) {
        Runnable next;
        synchronized (pending) {
          next = pending.poll();
          if (next == null) {
            draining = false;
            return;
          }
        }
        next.run();
      }
    } catch (Throwable unexpected) {
      synchronized (pending) {
        draining = false;
      }
      flush();
      throw unexpected;
    }
  }
}
