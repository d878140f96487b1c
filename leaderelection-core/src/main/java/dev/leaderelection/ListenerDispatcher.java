package dev.leaderelection;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to listeners one at a time, in order, on the callback executor, so that a
 * slow listener never holds up the election loop.
 */
final class ListenerDispatcher {

  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

  private final List<LeadershipListener> listeners;
  private final Executor executor;
  private final Queue<Runnable> pending = new ArrayDeque<>();
  private boolean draining;

  ListenerDispatcher(List<LeadershipListener> listeners, Executor executor) {
    this.listeners = List.copyOf(listeners);
    this.executor = executor;
  }

  void startedLeading(LeaderContext context) {
    notifyAll("onStartedLeading", listener -> listener.onStartedLeading(context));
  }

  void stoppedLeading(LeaderContext context, StepDownReason reason) {
    notifyAll("onStoppedLeading", listener -> listener.onStoppedLeading(context, reason));
  }

  void newLeader(String identity) {
    notifyAll("onNewLeader", listener -> listener.onNewLeader(identity));
  }

  /** Completes once every notification enqueued before this call has been delivered. */
  CompletableFuture<Void> delivered() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    enqueue(() -> done.complete(null));
    return done;
  }

  private void notifyAll(String callback, Consumer<LeadershipListener> call) {
    if (listeners.isEmpty()) {
      return;
    }
    enqueue(() -> {
      for (LeadershipListener listener : listeners) {
        try {
          call.accept(listener);
        } catch (RuntimeException e) {
          log.error("Leadership listener {} failed in {}", listener, callback, e);
        }
      }
    });
  }

  private void enqueue(Runnable task) {
    synchronized (pending) {
      pending.add(task);
      if (draining) {
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
      log.error("Could not deliver leadership notifications: the callback executor refused", e);
    }
  }

  private void drain() {
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
  }
}
