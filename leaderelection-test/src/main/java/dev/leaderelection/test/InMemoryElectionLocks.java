package dev.leaderelection.test;

import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaseLock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One in-memory lock per election, made when the election first asks. Thread-safe. */
final class InMemoryElectionLocks {

  private final Map<String, InMemoryLeaseLock> locks = new ConcurrentHashMap<>();

  Optional<LeaseLock> lock(String election) {
    return Optional.of(of(election));
  }

  InMemoryLeaseLock of(String election) {
    return locks.computeIfAbsent(election, InMemoryLeaseLock::new);
  }
}
