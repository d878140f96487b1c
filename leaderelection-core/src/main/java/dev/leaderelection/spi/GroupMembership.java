package dev.leaderelection.spi;

/**
 * Who the live members of one group are: the service provider interface behind
 * {@link dev.leaderelection.group.ShardGroup}'s balance. One instance serves one group as seen by
 * one replica (as a {@link LeaseLock} serves one election), built by the backend with the group's
 * name: a member Lease per replica, labelled with the group and watched, on Kubernetes; a key on
 * an etcd lease, watched by prefix, on etcd; {@link InMemoryGroupMembership} in one JVM.
 *
 * <p>Liveness is expiry-based: a member that {@linkplain #join joined} stays live while its
 * announcement is kept current, and leaves at once when it {@linkplain AutoCloseable#close()
 * closes} its announcement, or when the announcement expires (its process died or was cut off).
 * Expiry is the backend's business, measured as the election's is (on local monotonic time from
 * the last change this replica observed, or by the store itself, as etcd's leases are). Changes
 * are watched, not polled: listeners learn of a join, a leave or an expiry as the store reports
 * it.
 *
 * <p>Membership only steers balance, never safety: every shard is still an ordinary election,
 * so a wrong, late or missing view costs an uneven spread for a while, never two owners of a
 * shard. Implementations must be thread-safe.
 *
 * @since 0.2.0
 */
public interface GroupMembership {

  /**
   * Announces {@code identity} as a live member and keeps the announcement current until the
   * returned handle is closed. Returns at once; failures to announce or renew are retried in the
   * background (a member whose announcement lapsed announces itself again). Closing the handle
   * withdraws the announcement (a graceful leave), blocking at most the implementation's request
   * timeout; it is idempotent and logs rather than throws a failure.
   *
   * @param identity the member's identity, the same as its electors'
   * @return the announcement; close it to leave
   */
  AutoCloseable join(String identity);

  /**
   * Watches the live members: {@code listener} receives the whole live set once the watch is up,
   * then again after every change, until the returned handle is closed. Calls for one watch
   * arrive one at a time, in order, and must return quickly. When the watch cannot be opened, or
   * breaks, the implementation reports {@link MembershipListener#broken} (a group with no view
   * yet then competes as if alone), reconnects by itself and delivers the whole set again once it
   * is back.
   *
   * @return the watch; close it to stop
   */
  AutoCloseable watch(MembershipListener listener);

  /** A short description for logs and health details, such as {@code members of group tenants}. */
  String describe();
}
