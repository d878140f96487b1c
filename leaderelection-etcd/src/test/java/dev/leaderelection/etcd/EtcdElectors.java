package dev.leaderelection.etcd;

import dev.leaderelection.testing.ObservedElectors;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Electors on one etcd key, each with a jetcd client of its own (as separate processes have),
 * observed as {@link ObservedElectors} says; the locks it made are closed with it.
 */
final class EtcdElectors extends ObservedElectors {

  private final List<EtcdLeaseLock> locks = new CopyOnWriteArrayList<>();

  /** A lock on {@code key} with a client of its own, closed with this. */
  EtcdLeaseLock lock(String endpoint, String key) {
    return lock(List.of(endpoint), key);
  }

  /** A lock on {@code key} with a client of its own over all {@code endpoints}, closed with this. */
  EtcdLeaseLock lock(List<String> endpoints, String key) {
    EtcdLeaseLock lock = EtcdLeaseLock.builder("election").endpoints(endpoints).key(key)
        .requestTimeout(REQUEST_TIMEOUT).build();
    locks.add(lock);
    return lock;
  }

  @Override
  public void close() {
    super.close();
    locks.forEach(EtcdLeaseLock::close);
  }
}
