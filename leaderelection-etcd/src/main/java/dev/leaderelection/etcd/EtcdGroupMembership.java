package dev.leaderelection.etcd;

import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.MembershipListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The members of one {@linkplain dev.leaderelection.group.ShardGroup group} in etcd: each
 * replica announces itself with a key, {@code <members prefix><identity>} (by default
 * {@code /leaderelection/groups/<group>/members/<identity>}) holding its identity, on an etcd
 * lease of its own with the member TTL, and watches the prefix. Liveness is etcd's: a key exists
 * while its lease lives, so the live members are the keys under the prefix.
 *
 * <ul>
 *   <li>{@link #join} grants the lease, puts the key and keeps the lease alive every third of the
 *       TTL, on a daemon thread of its own; when the lease is gone (it expired while this
 *       replica was cut off from etcd), it grants a new one and puts the key again. Closing the
 *       returned handle revokes the lease, which deletes the key at once: a graceful leave, waiting
 *       at most about the request timeout, idempotent, logging rather than throwing a failure.
 *       A replica that dies or is cut off leaves when its lease expires, one TTL after its last
 *       keep-alive.</li>
 *   <li>{@link #watch} reads the prefix, then watches it from the revision after that read, on a
 *       daemon thread of its own; the listener gets the whole live set once the watch is up and
 *       after every change. A failure (etcd unreachable or restarting, history compacted) is
 *       reported as {@link MembershipListener#broken}; the watch reconnects by itself with a
 *       fresh read and delivers the whole set again.</li>
 * </ul>
 *
 * <p>Built by {@link EtcdLeaseLockBuilder#buildGroupMembership(Duration)} with the same connection
 * settings as a lock. The user needs read and write permission on the prefix, as for the
 * election keys ({@code etcdctl role grant-permission --prefix=true <role> readwrite
 * /leaderelection/}).
 *
 * <p>Thread-safe. {@link #close()} leaves with every announcement still open, ends every watch,
 * and closes the jetcd client if this membership made it.
 *
 * @since 0.2.0
 */
public final class EtcdGroupMembership implements GroupMembership, AutoCloseable {

  private final Client client;
  private final boolean ownsClient;
  private final String group;
  private final String prefix;
  private final ByteSequence prefixBytes;
  private final String endpoints;
  private final long ttlSeconds;
  private final EtcdCalls calls;
  private final Set<String> joined = ConcurrentHashMap.newKeySet();
  private final Set<AutoCloseable> handles = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  EtcdGroupMembership(Client client, boolean ownsClient, String group, String groupKey,
      String endpoints, long ttlSeconds, Duration requestTimeout) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.group = group;
    this.prefix = groupKey + "/members/";
    this.prefixBytes = ByteSequence.from(prefix, StandardCharsets.UTF_8);
    this.endpoints = endpoints;
    this.ttlSeconds = ttlSeconds;
    this.calls = new EtcdCalls(prefix, endpoints, requestTimeout);
  }

  /** The prefix of the members' keys, such as {@code /leaderelection/groups/tenants/members/}. */
  public String membersPrefix() {
    return prefix;
  }

  /** The key that announces {@code identity}: {@link #membersPrefix()} followed by it. */
  public String memberKey(String identity) {
    return prefix + identity;
  }

  /** The TTL of each member's etcd lease, in whole seconds. */
  public Duration memberTtl() {
    return Duration.ofSeconds(ttlSeconds);
  }

  /**
   * Announces {@code identity} (see the class description); returns at once.
   *
   * @throws IllegalArgumentException when {@code identity} is blank or has control characters
   * @throws IllegalStateException when {@code identity} has joined through this membership and
   *     not left yet, or this membership is closed
   */
  @Override
  public AutoCloseable join(String identity) {
    Objects.requireNonNull(identity, "identity");
    if (identity.isBlank() || identity.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("identity must be non-blank text without control "
          + "characters, but is '" + identity.strip() + "'");
    }
    String key = memberKey(identity);
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException(describe() + " is closed");
      }
      if (!joined.add(identity)) {
        throw new IllegalStateException(identity + " has already joined " + describe());
      }
    }
    MemberAnnouncement announcement = new MemberAnnouncement(client.getLeaseClient(),
        client.getKVClient(), key, identity, ttlSeconds,
        new EtcdCalls(key, endpoints, calls.timeout()), thread("member", key), left -> {
          handles.remove(left);
          joined.remove(identity);
        });
    handles.add(announcement);
    return announcement.start();
  }

  /** Watches the members (see the class description) until the handle is closed. */
  @Override
  public AutoCloseable watch(MembershipListener listener) {
    Objects.requireNonNull(listener, "listener");
    MembersFeed feed = new MembersFeed(prefix, this::list, listener,
        cause -> calls.failure("watch", cause));
    EtcdWatch watch = new EtcdWatch(client.getWatchClient(), prefixBytes, true,
        "etcd prefix " + prefix, feed, thread("watch", prefix), System::nanoTime,
        calls.timeout());
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException(describe() + " is closed");
      }
      handles.add(watch);
    }
    watch.start();
    return () -> {
      handles.remove(watch);
      watch.close();
    };
  }

  @Override
  public String describe() {
    return "members of group " + group + " under etcd prefix " + prefix + " at " + endpoints;
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * Leaves with every announcement still open (revoking their leases), ends every watch, and
   * closes the jetcd client if this membership made it. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (AutoCloseable handle : Set.copyOf(handles)) {
      try {
        handle.close();
      } catch (Exception e) {
        // announcements and watches log their own failures and throw nothing
      }
    }
    handles.clear();
    if (ownsClient) {
      client.close();
    }
  }

  private MembersFeed.Listing list() {
    GetResponse response = calls.call("list", () -> client.getKVClient().get(prefixBytes,
        GetOption.builder().isPrefix(true).withKeysOnly(true).build()));
    return new MembersFeed.Listing(response.getKvs().stream()
        .map(value -> value.getKey().toString(StandardCharsets.UTF_8)).toList(),
        response.getHeader().getRevision());
  }

  private static ScheduledExecutorService thread(String kind, String key) {
    return Executors.newSingleThreadScheduledExecutor(task -> {
      Thread daemon = new Thread(task, "leader-election-" + kind + " etcd " + key);
      daemon.setDaemon(true);
      return daemon;
    });
  }
}
