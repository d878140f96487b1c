package dev.leaderelection.kubernetes.watch;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.ObjectApi;
import io.kubernetes.client.common.KubernetesObject;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lock's view of a shared watch: whether it is up, and the changes of its object, each once
 * and in order. Events are numbered by {@link SharedWatches}; one older than the last of its kind
 * delivered is dropped, so a joining subscriber's catch-up never overtakes what the stream
 * reports meanwhile. A change this subscriber cannot read takes its watch down until the next
 * change it can read. Closing unsubscribes. Thread-safe.
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: public only for its
 * {@link Subscriber}, which the locks' package implements to subscribe a lock through
 * {@link WatchRegistry#subscribe}; it may change in any release.
 */
public final class WatchSubscription<T extends KubernetesObject> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WatchSubscription.class);

  /** Receives what one subscription sees; calls arrive one at a time. */
  public interface Subscriber<T> {

    /** The watch is up: changes follow. */
    void connected();

    /**
     * @param object the object's new state, or null when it was deleted
     * @throws RuntimeException when the object holds no usable record
     */
    void changed(@Nullable T object);

    /** The watch is down until the next {@link #connected()}. */
    void broken(LeaseLockException cause);
  }

  private final ObjectApi<T> api;
  private final Subscriber<T> subscriber;
  private final Consumer<WatchSubscription<T>> unsubscribe;
  private volatile boolean closed;
  private long lastState;
  private long lastChange;
  private boolean up;
  private boolean unreadable;

  WatchSubscription(ObjectApi<T> api, Subscriber<T> subscriber,
      Consumer<WatchSubscription<T>> unsubscribe) {
    this.api = api;
    this.subscriber = subscriber;
    this.unsubscribe = unsubscribe;
  }

  ObjectApi<T> api() {
    return api;
  }

  String name() {
    return api.object().name();
  }

  /** The watch is up ({@code failure} null) or down, as of event {@code number}. */
  synchronized void state(long number, @Nullable LeaseLockException failure) {
    if (closed || number <= lastState) {
      return;
    }
    lastState = number;
    up = failure == null;
    unreadable = false;
    if (failure == null) {
      call(subscriber::connected);
    } else {
      call(() -> subscriber.broken(failure));
    }
  }

  /** The object changed, as of event {@code number}; null when it was deleted. */
  synchronized void deliver(long number, @Nullable T object) {
    if (closed || !up || number <= lastChange) {
      return;
    }
    lastChange = number;
    try {
      if (unreadable) {
        unreadable = false;
        subscriber.connected();
      }
      subscriber.changed(object);
    } catch (RuntimeException e) {
      unreadable(e instanceof LeaseLockException failure ? failure
          : new LeaseLockException("a change of " + api.object() + " could not be read: "
              + e.getMessage(), e));
    }
  }

  /** A change of the object could not be read, as of event {@code number}. */
  synchronized void unreadable(long number, LeaseLockException cause) {
    if (!closed && up && number > lastChange) {
      lastChange = number;
      unreadable(cause);
    }
  }

  @Override
  public void close() {
    closed = true;
    unsubscribe.accept(this);
  }

  private void unreadable(LeaseLockException cause) {
    unreadable = true;
    call(() -> subscriber.broken(cause));
  }

  private void call(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.warn("A watcher of {} failed", api.object(), e);
    }
  }
}
