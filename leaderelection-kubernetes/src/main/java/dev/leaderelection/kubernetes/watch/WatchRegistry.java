package dev.leaderelection.kubernetes.watch;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.ObjectApi;
import io.kubernetes.client.common.KubernetesObject;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The shared watches of one {@link KubernetesLocks}: one {@code SharedWatches} per kind and
 * namespace, made when a lock first subscribes and dropped when its last subscriber leaves.
 * Closing ends every watch and its thread. Thread-safe.
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: public only so that the locks'
 * package can make one per {@code KubernetesLocks} and subscribe its locks; it may change in any
 * release.
 */
public final class WatchRegistry implements AutoCloseable {

  private final ConcurrentMap<SharedWatches.Scope, SharedWatches<?>> watches =
      new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * Subscribes to the changes of the object {@code api} names.
   *
   * @return closes the subscription
   * @throws LeaseLockException when this registry is closed
   */
  public <T extends KubernetesObject> AutoCloseable subscribe(ObjectApi<T> api,
      WatchSubscription.Subscriber<T> subscriber) {
    SharedWatches.Scope scope =
        new SharedWatches.Scope(api.object().resource(), api.object().namespace());
    while (true) {
      if (closed) {
        throw new LeaseLockException("cannot watch " + api.object() + ": the KubernetesLocks "
            + "that made its lock was closed");
      }
      @SuppressWarnings("unchecked")
      SharedWatches<T> shared = (SharedWatches<T>) watches.computeIfAbsent(scope,
          key -> new SharedWatches<>(key, api.type(), this));
      AutoCloseable subscription = shared.add(api, subscriber);
      if (subscription != null && closed) {
        shared.close(new LeaseLockException("the KubernetesLocks was closed"));
      } else if (subscription != null) {
        return subscription;
      }
    }
  }

  /** How many objects' latest states the watches keep; for tests. */
  public int objectsKept() {
    return watches.values().stream().mapToInt(SharedWatches::objectsKept).sum();
  }

  /** {@code retiring} has no subscribers left; a later subscriber makes a new one. */
  void retired(SharedWatches.Scope scope, SharedWatches<?> retiring) {
    watches.remove(scope, retiring);
  }

  @Override
  public void close() {
    closed = true;
    LeaseLockException cause = new LeaseLockException("the KubernetesLocks was closed");
    for (SharedWatches<?> shared : List.copyOf(watches.values())) {
      shared.close(cause);
    }
  }
}
