package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.InMemoryGroupMembership;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.LeaseLockFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code in-memory} backend: a lock of this JVM alone, for tests and single-process runs, and
 * the last resort of {@code lock=auto}; a sharded group's membership is one
 * {@link InMemoryGroupMembership} per group, shared in this context. Thread-safe.
 */
final class InMemoryLockFactory implements LeaseLockFactory {

  private final Map<String, InMemoryGroupMembership> memberships = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return ElectionLocks.IN_MEMORY;
  }

  @Override
  public boolean isConfigured() {
    return true;
  }

  @Override
  public int getOrder() {
    return LOWEST_PRECEDENCE;
  }

  @Override
  public LeaseLock create(LockRequest request) {
    return new InMemoryLeaseLock(request.leaseName());
  }

  /** One membership per group, shared by everything in this context. */
  @Override
  public Optional<GroupMembership> groupMembership(LockRequest request) {
    return Optional.of(memberships.computeIfAbsent(request.leaseName(),
        InMemoryGroupMembership::new));
  }
}
