package dev.leaderelection.kubernetes.members;

import dev.leaderelection.Ticker;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.LockClient;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.MembershipListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The members of one group as member Leases in one namespace: each {@link #join} keeps a Lease
 * of its own current ({@link MemberAnnouncement}), each {@link #watch} lists and watches them all
 * by the group's label ({@link MemberWatch}), judging liveness on this replica's monotonic clock
 * ({@link LiveMembers}). Names and labels: {@link MemberNames}. Thread-safe.
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: public only so that
 * {@link KubernetesLocks#groupMembership} can make one; applications get it as a
 * {@link GroupMembership}. It may change in any release.
 */
public final class LeaseMembership implements GroupMembership, AutoCloseable {

  private final MemberLeaseApi api;
  private final String group;
  private final Duration ttl;
  private final Ticker ticker;
  private final Clock clock;
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();

  /**
   * The membership of {@code group} in {@code namespace}, its arguments checked by
   * {@link KubernetesLocks#groupMembership}.
   *
   * @param watchTimeout how long the server keeps one watch open before the next is opened
   */
  public static LeaseMembership create(LockClient client, String namespace, String group,
      Duration ttl, Duration requestTimeout, Duration watchTimeout) {
    return new LeaseMembership(new MemberLeaseApi(client, requestTimeout, namespace, group,
        watchTimeout), group, ttl, Ticker.system(), Clock.systemUTC());
  }

  LeaseMembership(MemberLeaseApi api, String group, Duration ttl, Ticker ticker, Clock clock) {
    this.api = api;
    this.group = group;
    this.ttl = ttl;
    this.ticker = ticker;
    this.clock = clock;
  }

  @Override
  public AutoCloseable join(String identity) {
    Objects.requireNonNull(identity, "identity");
    if (identity.isEmpty()) {
      throw new IllegalArgumentException("identity is '' but must not be empty");
    }
    MemberAnnouncement announcement = new MemberAnnouncement(api, group, identity, ttl, clock,
        open::remove);
    open.add(announcement);
    announcement.start();
    return announcement;
  }

  @Override
  public AutoCloseable watch(MembershipListener listener) {
    Objects.requireNonNull(listener, "listener");
    MemberWatch watch = new MemberWatch(api, group, ttl, listener, ticker);
    AutoCloseable handle = new AutoCloseable() {
      @Override
      public void close() {
        open.remove(this);
        watch.close();
      }

      @Override
      public String toString() {
        return watch.toString();
      }
    };
    open.add(handle);
    watch.start();
    return handle;
  }

  @Override
  public String describe() {
    return "members of group " + group + " (leases " + api.labelSelector() + " in namespace "
        + api.namespace() + ")";
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * Withdraws every announcement still open (each within the request timeout) and ends every
   * watch; for {@link KubernetesLocks#close()}. Idempotent.
   */
  @Override
  public void close() {
    for (AutoCloseable handle : List.copyOf(open)) {
      try {
        handle.close();
      } catch (Exception e) {
        // each logs its own failure
      }
    }
  }
}
