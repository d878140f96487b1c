package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.LeaseLockFactory;

/**
 * The {@code in-memory} backend: a lock of this JVM alone, for tests and single-process runs, and
 * the last resort of {@code lock=auto}. Thread-safe.
 */
final class InMemoryLockFactory implements LeaseLockFactory {

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
}
