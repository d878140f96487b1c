package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.Ticker;
import dev.leaderelection.kubernetes.coordinated.CoordinatedElectionUnavailableException;
import dev.leaderelection.kubernetes.coordinated.LeaseCandidacy;
import dev.leaderelection.kubernetes.events.EventSender;
import dev.leaderelection.kubernetes.events.ShardTransitionEvents;
import dev.leaderelection.kubernetes.events.TransitionEvents;
import dev.leaderelection.kubernetes.members.LeaseMembership;
import dev.leaderelection.kubernetes.watch.WatchRegistry;
import dev.leaderelection.spi.Candidacy;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
import dev.leaderelection.spi.MigratingLeaseLock;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@link LeaseLock}s held in a Kubernetes API server, and owns the watches they share;
 * also the members of sharded groups ({@link #groupMembership}).
 *
 * <pre>{@code
 * try (KubernetesLocks locks = KubernetesLocks.create(apiClient)) {
 *   LeaseLock lock = locks.lease("payments", "report-job", Duration.ofSeconds(5));
 *   ...
 * }
 * }</pre>
 *
 * <p>Every call is bounded by {@code requestTimeout}, which must be shorter than the election's
 * renew deadline. Both kinds of lock can watch their object (verb {@code watch} on it), so
 * followers learn of every change at once; without that verb they poll. A watch runs on a thread
 * of its own, and the locks of one {@code KubernetesLocks} share watches: locks on one object
 * share one, and Lease locks on several Leases of one namespace share one watch on all Leases
 * there when the client may watch them (verb {@code watch} on {@code leases} without
 * {@code resourceNames}), so any number of elections needs one watch thread per namespace.
 * Otherwise each Lease keeps a watch of its own.
 *
 * <p>The locks' calls never wait behind the application's own traffic on the {@code ApiClient}:
 * each request is built by the {@code ApiClient} (its base path, credentials and default
 * headers) but sent on an OkHttp client derived from its client (the same connection pool, TLS
 * settings, interceptors and timeouts) with a dispatcher of these locks' own, whose limit this
 * library chooses: two requests at once per lock made, at least 4 and at most 64, so up to 32
 * locks never wait for each other either. (OkHttp's default, which the {@code ApiClient} keeps,
 * is 5 requests at once per API server, shared by every asynchronous call of the application.)
 * The dispatcher runs each request on a daemon thread of its own pool; idle threads end after 60
 * seconds. The {@code ApiClient} is used as it is and never changed or closed.
 *
 * <p>An API server shedding load is honoured: a call answered {@code 429 Too Many Requests} (or a
 * 5xx) with a {@code Retry-After} is sent again after that delay when it still fits within the
 * call's {@code requestTimeout}, and otherwise fails at once; until that delay has passed a
 * lock's calls wait for it, or fail unsent when it ends after their timeout, so a lock sends at
 * most one request per {@code Retry-After} while the server sheds load. A {@code Retry-After}
 * counts as at least 1 and at most 60 seconds.
 *
 * <p>Closing ends every watch and its thread, and the dispatcher's threads once their requests
 * are answered; from then on the locks made before send nothing, and their calls fail at once.
 * Close it after the electors that use its locks. Thread-safe.
 *
 * @since 0.1.0
 */
public final class KubernetesLocks implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KubernetesLocks.class);

  /** How long the server keeps one watch open before the lock opens the next. */
  static final Duration WATCH_TIMEOUT = Duration.ofMinutes(5);

  private final LockClient client;
  private final WatchRegistry watches = new WatchRegistry();
  private final EventSender events = new EventSender();
  private final AtomicBoolean endpointsWarned = new AtomicBoolean();
  private final Set<LeaseMembership> memberships = ConcurrentHashMap.newKeySet();

  private KubernetesLocks(ApiClient client) {
    this.client = LockClient.derivedFrom(client);
  }

  /**
   * Locks that call the API server through {@code client}: requests are built by it and sent on
   * a client derived from it with a dispatcher of the locks' own (see above). To give the locks
   * a client apart from the application's altogether (other credentials, timeouts or
   * connections), pass them an {@code ApiClient} of their own.
   */
  public static KubernetesLocks create(ApiClient client) {
    return new KubernetesLocks(Objects.requireNonNull(client, "client"));
  }

  /** How many requests the locks may have running at once now; for tests. */
  int concurrencyLimit() {
    return client.concurrencyLimit();
  }

  /**
   * A lock on the {@code coordination.k8s.io/v1} Lease {@code namespace/name}, the recommended
   * lock. Needs the verbs get and update on that Lease and create on leases in the namespace.
   *
   * @throws IllegalArgumentException when the name or namespace is not a valid Kubernetes name,
   *     or the timeout is not positive
   */
  public LeaseLock lease(String namespace, String name, Duration requestTimeout) {
    return lock(ObjectKind.LEASE, namespace, name, requestTimeout, WATCH_TIMEOUT);
  }

  /** How many objects' latest states the shared watches keep; for tests. */
  int watchedObjectsKept() {
    return watches.objectsKept();
  }

  /** A Lease lock whose watches the server ends after {@code watchTimeout}; for tests. */
  LeaseLock lease(String namespace, String name, Duration requestTimeout,
      Duration watchTimeout) {
    return lock(ObjectKind.LEASE, namespace, name, requestTimeout, watchTimeout);
  }

  /**
   * A lock on the ConfigMap {@code namespace/name}, in client-go's
   * {@code control-plane.alpha.kubernetes.io/leader} annotation format, for clusters or tools
   * that still use ConfigMap locks. Other data and annotations of the ConfigMap are kept.
   *
   * @throws IllegalArgumentException when the name or namespace is not a valid Kubernetes name,
   *     or the timeout is not positive
   */
  public LeaseLock configMap(String namespace, String name, Duration requestTimeout) {
    return lock(ObjectKind.CONFIG_MAP, namespace, name, requestTimeout, WATCH_TIMEOUT);
  }

  /**
   * A lock on the Endpoints object {@code namespace/name}, in client-go's
   * {@code control-plane.alpha.kubernetes.io/leader} annotation format, which older electors
   * (client-go's and the official Java client's {@code EndpointsLock}) use. The Endpoints API is
   * deprecated since Kubernetes 1.33: use it only to migrate from such electors to a Lease, and
   * a warning says so once. Needs get, create, update and watch on {@code endpoints}.
   *
   * @throws IllegalArgumentException when the name or namespace is not a valid Kubernetes name,
   *     or the timeout is not positive
   * @since 0.2.0
   */
  public LeaseLock endpoints(String namespace, String name, Duration requestTimeout) {
    if (endpointsWarned.compareAndSet(false, true)) {
      log.warn("Endpoints {}/{} holds a leader election: the Endpoints API is deprecated since "
          + "Kubernetes 1.33. Move the election to a Lease (see docs/kubernetes.md, "
          + "\"Migrating from other electors\"); the Endpoints lock is meant for that move only",
          namespace, name);
    }
    return lock(ObjectKind.ENDPOINTS, namespace, name, requestTimeout, WATCH_TIMEOUT);
  }

  /**
   * A lock that moves an election from an older elector's lock ({@code from}: a ConfigMap or
   * Endpoints lock of these locks, in client-go's format, which client-go's, the official Java
   * client's and fabric8's electors read) to a Lease ({@code to}) without downtime: a candidate
   * on it writes both and leads only while it holds both, so during a rolling update old and new
   * instances never lead at once. Once no old instance is left, switch to {@code to} alone (see
   * docs/kubernetes.md, "Migrating from other electors"). It does not watch: followers poll
   * every retry period.
   *
   * <pre>{@code
   * LeaseLock lock = locks.migrating(locks.configMap("payments", "report-job", timeout),
   *     locks.lease("payments", "report-job", timeout));
   * }</pre>
   *
   * @since 0.2.0
   */
  public LeaseLock migrating(LeaseLock from, LeaseLock to) {
    return new MigratingLeaseLock(from, to);
  }

  /**
   * Records a Kubernetes Event about {@code lock}'s object at each transition of the elector it
   * is registered with (see {@link TransitionEvents}); {@code lock} is a Lease, ConfigMap or
   * Endpoints lock, as {@link LeaseLock#reference()} names it. Events of all elections are sent
   * one at a time on one thread of these locks, each within {@code requestTimeout}.
   *
   * <pre>{@code
   * LeaderElector elector = LeaderElector.builder(lock, identity)
   *     .listener(locks.events(lock.reference(), Duration.ofSeconds(5)))
   *     .build();
   * }</pre>
   *
   * @throws IllegalArgumentException when the reference is not to a Lease, ConfigMap or
   *     Endpoints, or the timeout is not positive
   * @since 0.2.0
   */
  public TransitionEvents events(LockReference lock, Duration requestTimeout) {
    requirePositive(requestTimeout);
    return events.transitionEvents(eventObject(lock, requestTimeout), client, requestTimeout,
        Ticker.system(), Clock.systemUTC());
  }

  /**
   * Records a Kubernetes Event about the object of a shard of the sharded group {@code group}
   * each time this replica acquires or loses the shard (see {@link ShardTransitionEvents});
   * {@code shardLocks} names each shard's Lease, ConfigMap or Endpoints, as the group's locks'
   * {@link LeaseLock#reference()} does. Sent as elections' Events are, each within
   * {@code requestTimeout}.
   *
   * <pre>{@code
   * ShardGroup group = ShardGroup.builder("tenants", 64,
   *         shard -> locks.lease("payments", "tenants-" + shard, timeout), membership, identity)
   *     .listener(locks.shardEvents("tenants",
   *         shard -> new LockReference("Lease", "payments", "tenants-" + shard), timeout))
   *     .build();
   * }</pre>
   *
   * @throws IllegalArgumentException when shard 0's reference is not to a Lease, ConfigMap or
   *     Endpoints, or the timeout is not positive
   * @since 0.2.0
   */
  public ShardTransitionEvents shardEvents(String group, IntFunction<LockReference> shardLocks,
      Duration requestTimeout) {
    requirePositive(requestTimeout);
    Objects.requireNonNull(shardLocks, "shardLocks");
    return events.shardEvents(Objects.requireNonNull(group, "group"),
        shard -> eventObject(shardLocks.apply(shard), requestTimeout), client, requestTimeout,
        Ticker.system(), Clock.systemUTC());
  }

  private ObjectApi<? extends KubernetesObject> eventObject(LockReference lock,
      Duration requestTimeout) {
    ObjectKind<?> kind = ObjectKind.named(lock.kind()).orElseThrow(() ->
        new IllegalArgumentException("Events are recorded about Leases, ConfigMaps and "
            + "Endpoints, not about a " + lock.kind()));
    ObjectReference object = kind.object(Objects.requireNonNull(lock.namespace(), "namespace"),
        lock.name());
    return new ObjectApi<>(new ApiCalls(client, requestTimeout, object), kind, WATCH_TIMEOUT);
  }

  /**
   * This instance's candidacy in Kubernetes' coordinated leader election (KEP-4355) for the Lease
   * {@code lease}, for {@link LeaderElector.Builder#coordinatedBy}: a {@code LeaseCandidate} named
   * {@code identity} (which must therefore be a valid object name, and the elector's identity)
   * with strategy {@code OldestEmulationVersion}, so the API server's controller names the
   * candidate of the oldest emulation version, then binary version, then age, as the Lease's
   * holder, and keeps the oldest version leading through a rolling upgrade. Asks the API server
   * at once which version of LeaseCandidate it serves.
   *
   * <pre>{@code
   * LeaseLock lock = locks.lease("payments", "report-job", timeout);
   * LeaderElector elector = LeaderElector.builder(lock, identity)
   *     .coordinatedBy(locks.leaseCandidate(lock.reference(), identity, "1.4.2", "1.4.2", timeout))
   *     .build();
   * }</pre>
   *
   * <p>Needs get, create, update, delete and watch on {@code leasecandidates} in API group
   * {@code coordination.k8s.io}, besides the Lease's verbs. The fencing token stays the Lease's
   * {@code leaseTransitions}: the controller keeps it, and each term's first write adds one.
   *
   * @param binaryVersion this build's version, a semantic version such as {@code 1.4.2}
   * @param emulationVersion the version whose behaviour this build keeps, not above
   *     {@code binaryVersion}; usually the same
   * @throws IllegalArgumentException when the reference is not to a Lease, the identity is not a
   *     valid object name, a version is not a semantic version, the emulation version is above
   *     the binary version, or the timeout is not positive
   * @throws CoordinatedElectionUnavailableException when the API server does not serve
   *     LeaseCandidates (the CoordinatedLeaderElection feature gate is off)
   * @throws LeaseLockException when the API server could not be asked
   * @since 0.2.0
   */
  public Candidacy leaseCandidate(LockReference lease, String identity, String binaryVersion,
      String emulationVersion, Duration requestTimeout) {
    requirePositive(requestTimeout);
    if (!ObjectKind.LEASE.kind().equals(lease.kind())) {
      throw new IllegalArgumentException("Coordinated leader election runs on a Lease, not on a "
          + lease.kind());
    }
    KubernetesNames.objectNameRule(identity).ifPresent(rule -> {
      throw new IllegalArgumentException("identity is '" + identity + "' but it names this "
          + "instance's LeaseCandidate, so " + rule);
    });
    return LeaseCandidacy.discover(client, lease, identity, binaryVersion, emulationVersion,
        requestTimeout, WATCH_TIMEOUT);
  }

  /**
   * The members of the sharded group {@code group} (see {@link dev.leaderelection.group}) as
   * Leases in {@code namespace}, for {@code ShardGroup.builder}: each replica that
   * {@linkplain GroupMembership#join joins} keeps a member Lease of its own, and each watch lists
   * and watches all of them by a label, never polling.
   *
   * <pre>{@code
   * GroupMembership members = locks.groupMembership("payments", "tenants",
   *     Duration.ofSeconds(15), Duration.ofSeconds(5));
   * }</pre>
   *
   * <p>A member's Lease is named {@code <group>.member.<identity>} (each part lower-cased and
   * followed by a hash of the exact text when it is not already a DNS label of at most 100
   * characters), labelled {@code leaderelection.dev/group=<group>} (cut short and hashed past 63
   * characters or when not a DNS label) with the exact group in the annotation of the same name,
   * and holds the identity in {@code spec.holderIdentity}, {@code memberTtl} in
   * {@code leaseDurationSeconds} and the time of each renewal in {@code renewTime}, for people:
   * {@code kubectl get leases -l leaderelection.dev/group=tenants} lists the members. A joined
   * member creates its Lease (or takes over its own, left by an earlier process of its
   * identity) at once and renews it every third of {@code memberTtl}; failures are retried in
   * the background, never thrown; closing the join deletes the Lease within
   * {@code requestTimeout}.
   *
   * <p>Liveness is judged as the election judges a lease: a member is live while its Lease
   * changed within its {@code leaseDurationSeconds}, measured on this replica's monotonic clock
   * from when it observed the change, so clock skew between replicas does not matter. A deleted
   * Lease (a graceful leave) leaves the set at once; a member that stops renewing (its process
   * died or was cut off) leaves it one duration after its last renewal was observed, and its
   * Lease, once unchanged for ten durations, is deleted by a watcher (guarded by its
   * resourceVersion). Each join renews on a daemon thread of its own; each watch runs on one
   * and calls its listener on another, one call at a time, in order; a broken watch is reported
   * to the listener, listed again and its whole set delivered once it is back.
   *
   * <p>Needs the verbs {@code create}, {@code get}, {@code update}, {@code delete},
   * {@code list} and {@code watch} on {@code leases} (API group {@code coordination.k8s.io}) in
   * the namespace; a rule cannot name the member Leases, whose names derive from the identities.
   * A refusal names the verbs missing. Closing these locks withdraws the announcements still
   * open and ends the watches. Thread-safe.
   *
   * @param namespace where the member Leases are, usually the shards' namespace
   * @param group the group's name, the same in every replica; any non-empty text
   * @param memberTtl how long a member stays live after its last renewal: a whole number of
   *     seconds, usually the shards' lease duration
   * @param requestTimeout the bound of each call, below {@code memberTtl}
   * @throws IllegalArgumentException when the namespace is not a valid Kubernetes name, the group
   *     is empty, the TTL is not a whole positive number of seconds, or the timeout is not
   *     positive and below the TTL
   * @since 0.2.0
   */
  public GroupMembership groupMembership(String namespace, String group, Duration memberTtl,
      Duration requestTimeout) {
    requirePositive(requestTimeout);
    KubernetesNames.namespaceRule(namespace).ifPresent(rule -> {
      throw new IllegalArgumentException("namespace is '" + namespace + "' but " + rule);
    });
    if (Objects.requireNonNull(group, "group").isEmpty()) {
      throw new IllegalArgumentException("group is '' but must not be empty");
    }
    if (memberTtl == null || memberTtl.compareTo(Duration.ofSeconds(1)) < 0
        || memberTtl.toNanos() % 1_000_000_000L != 0) {
      throw new IllegalArgumentException("memberTtl is " + memberTtl + " but must be a whole "
          + "number of seconds, at least 1 (it is the member Leases' leaseDurationSeconds)");
    }
    if (requestTimeout.compareTo(memberTtl) >= 0) {
      throw new IllegalArgumentException("requestTimeout is " + requestTimeout + " but must be "
          + "less than memberTtl (" + memberTtl + "), or one slow call would let a member expire");
    }
    LeaseMembership membership = LeaseMembership.create(client, namespace, group, memberTtl,
        requestTimeout, WATCH_TIMEOUT);
    memberships.add(membership);
    return membership;
  }

  /**
   * Withdraws the group members still announced (each within its request timeout) and ends
   * their watches, ends every watch of these locks and its thread, sends the Events still queued
   * for at most 2 seconds, then lets the requests running finish and sends no more: the locks' calls fail at
   * once from then on. Idempotent.
   */
  @Override
  public void close() {
    List.copyOf(memberships).forEach(LeaseMembership::close);
    watches.close();
    events.close();
    client.close();
  }

  private static void requirePositive(Duration requestTimeout) {
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "requestTimeout is " + requestTimeout + " but must be greater than zero");
    }
  }

  private <T extends KubernetesObject> LeaseLock lock(ObjectKind<T> kind, String namespace,
      String name, Duration requestTimeout, Duration watchTimeout) {
    requirePositive(requestTimeout);
    ObjectReference object = kind.object(namespace, name);
    ApiCalls calls = new ApiCalls(client, requestTimeout, object);
    client.lockMade();
    return new ObjectLock<>(new ObjectApi<>(calls, kind, watchTimeout), watches);
  }
}
