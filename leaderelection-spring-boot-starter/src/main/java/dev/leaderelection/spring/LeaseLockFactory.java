package dev.leaderelection.spring;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.LeaseLock;
import java.util.Objects;
import java.util.Optional;
import org.springframework.core.Ordered;

/**
 * A backend that holds elections: it makes the lock of each election whose {@code lock} property
 * names it. A backend plugs into the starter by defining one as a bean, usually from its own
 * auto-configuration, with no change to the starter. {@code lock=auto} takes the first backend,
 * in {@link #getOrder() order}, that {@link #isConfigured() is configured}. The starter's own
 * backends are {@code lease} (order 100), {@code configmap} (200), {@code etcd} (300) and
 * {@code in-memory} (last, the fallback of {@code auto}, with a warning). A lock an
 * {@link ElectionLockProvider} gives wins over every backend.
 *
 * <p>Implementations must be thread-safe; the starter asks them from the thread that creates the
 * application's beans.
 *
 * @since 0.3.0
 */
public interface LeaseLockFactory extends Ordered {

  /**
   * The value of the {@code lock} property that chooses this backend: lower-case letters, digits
   * and '-', such as {@code etcd}; unique among the backends of an application.
   */
  String name();

  /**
   * Whether this backend has what it needs to hold elections here (a server it can reach, an
   * endpoint, a client bean), so that {@code lock=auto} may choose it. A backend chosen by name
   * is used even when it is not configured, and its {@link #create} explains what is missing.
   */
  boolean isConfigured();

  /**
   * Makes the lock of one election. Called once per election, while the application starts.
   *
   * @throws RuntimeException with a message that names what is missing or wrong and the property
   *     to change, when the lock cannot be made; startup fails with it
   */
  LeaseLock create(LockRequest request);

  /**
   * Makes the membership of one sharded group ({@code leader-election.groups.<name>}) whose
   * shards this backend holds: where its replicas announce themselves and watch each other. Called
   * once per group, while the application starts; in the request, {@code election} and
   * {@code leaseName} are the group's name (each shard's lock is made by {@link #create} with the
   * lease name {@code <group>-<shard>}), and members should expire after the lease duration.
   *
   * @return the membership, or empty when this backend cannot hold groups (the default), which
   *     fails the startup naming the group's {@code lock} property
   * @since 0.2.0
   */
  default Optional<GroupMembership> groupMembership(LockRequest request) {
    return Optional.empty();
  }

  /** Where {@code lock=auto} tries this backend; lower comes first. */
  @Override
  default int getOrder() {
    return 0;
  }

  /**
   * What a backend is told of the election whose lock it makes.
   *
   * @param election the election's name: {@code default}, or its name under
   *     {@code leader-election.elections}; for the shards and membership of a sharded group,
   *     the group's name under {@code leader-election.groups}
   * @param leaseName the name of the object (Lease, key, row...) that holds the election
   * @param timings the election's timings; each call of the lock should end within half the
   *     renew deadline, so a leader whose calls hang still steps down on time
   * @param lockProperty the property that chose this backend, to name in messages
   * @since 0.3.0
   */
  record LockRequest(String election, String leaseName, LeaseTimings timings,
      String lockProperty) {

    /** Checks that every component is given. */
    public LockRequest {
      Objects.requireNonNull(election, "election");
      Objects.requireNonNull(leaseName, "leaseName");
      Objects.requireNonNull(timings, "timings");
      Objects.requireNonNull(lockProperty, "lockProperty");
    }
  }
}
