package dev.leaderelection.test;

import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.InMemoryGroupMembership;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.LeaseLockFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Puts every sharded group on memory, whatever its {@code lock} property names: each backend
 * ({@link LeaseLockFactory} bean) keeps its name and order but makes an in-memory lock per shard
 * and one in-memory membership per group, which the kit then writes as another instance would.
 * Elections never reach a backend here, as the kit's {@code ElectionLockProvider} answers for
 * them all. Thread-safe.
 */
final class InMemoryGroups implements BeanPostProcessor {

  private final Map<String, InMemoryLeaseLock> shardLocks = new ConcurrentHashMap<>();
  private final Map<String, InMemoryGroupMembership> memberships = new ConcurrentHashMap<>();

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    return bean instanceof LeaseLockFactory backend ? new InMemoryBackend(backend, this) : bean;
  }

  /** The lock of {@code shard} of {@code group}: {@code <group>-<shard>}, as backends name it. */
  InMemoryLeaseLock shard(String group, int shard) {
    return lock(group + "-" + shard);
  }

  private InMemoryLeaseLock lock(String leaseName) {
    return shardLocks.computeIfAbsent(leaseName, InMemoryLeaseLock::new);
  }

  private GroupMembership membership(String group) {
    return memberships.computeIfAbsent(group, InMemoryGroupMembership::new);
  }

  /** A backend as the application configured it, holding its groups in memory. */
  private record InMemoryBackend(LeaseLockFactory configured, InMemoryGroups groups)
      implements LeaseLockFactory {

    @Override
    public String name() {
      return configured.name();
    }

    @Override
    public boolean isConfigured() {
      return configured.isConfigured();
    }

    @Override
    public int getOrder() {
      return configured.getOrder();
    }

    @Override
    public LeaseLock create(LockRequest request) {
      return groups.lock(request.leaseName());
    }

    @Override
    public Optional<GroupMembership> groupMembership(LockRequest request) {
      return Optional.of(groups.membership(request.leaseName()));
    }
  }
}
