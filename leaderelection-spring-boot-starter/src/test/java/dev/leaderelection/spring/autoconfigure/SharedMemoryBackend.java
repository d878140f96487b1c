package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.InMemoryGroupMembership;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.LeaseLockFactory;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend ({@code lock=shared-memory}) whose locks and group memberships several application
 * contexts share, as replicas share a real backend: the in-memory lock and membership, kept in
 * this one object that every context's bean is.
 */
final class SharedMemoryBackend implements LeaseLockFactory {

  static final String NAME = "shared-memory";

  private final Map<String, InMemoryLeaseLock> locks = new ConcurrentHashMap<>();
  private final Map<String, InMemoryGroupMembership> memberships = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isConfigured() {
    return true;
  }

  @Override
  public LeaseLock create(LockRequest request) {
    return locks.computeIfAbsent(request.leaseName(), InMemoryLeaseLock::new);
  }

  @Override
  public Optional<GroupMembership> groupMembership(LockRequest request) {
    return Optional.of(memberships.computeIfAbsent(request.leaseName(),
        InMemoryGroupMembership::new));
  }

  /** The names of the locks made so far. */
  Set<String> lockNames() {
    return Set.copyOf(locks.keySet());
  }
}
