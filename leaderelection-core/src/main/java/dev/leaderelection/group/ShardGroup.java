package dev.leaderelection.group;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group of {@code N} shards held by a fleet of replicas, spread evenly over its live members,
 * so that each unit of work (a tenant, a partition) is processed by exactly one replica at a
 * time.
 *
 * <pre>{@code
 * ShardGroup tenants = ShardGroup.builder("tenants", 64, shard -> lockFor("tenants-" + shard),
 *         membership, "pod-a_3f2c9e1d")
 *     .electorCustomizer((shard, elector) -> elector.timings(timings))
 *     .listener(new ShardListener() {
 *       public void onShardAcquired(int shard, LeaderContext term) { workers.start(shard, term); }
 *       public void onShardLost(int shard, LeaderContext term, StepDownReason r) { workers.stop(shard); }
 *     })
 *     .build();
 * tenants.start();
 * if (tenants.owns(tenants.shardOf(tenantId))) { ... }
 * tenants.close(); // leaves the group, stops each shard's work, then releases it
 * }</pre>
 *
 * <p><b>Safety.</b> Each shard is an ordinary {@link LeaderElector} election on its own lock: its
 * own term, fencing token, step-down on time and graceful hand-over. Membership and balancing
 * decide only which shards a replica competes for, so whatever they get wrong, a shard never has
 * two owners.
 *
 * <p><b>Balance.</b> Each replica {@linkplain GroupMembership#join joins} the group's membership
 * and watches it. It aims at its fair share of the live members, {@code ⌈N/M⌉} or {@code ⌊N/M⌋} by
 * the rank of its identity; under it, it competes for free shards and for those of members that are
 * gone, never for a shard a live member renews; over it, it hands shards off (stops their work,
 * then releases them; they end {@link dev.leaderelection.StepDownReason#YIELDED}). Members under
 * their share split the free shards by rendezvous hashing, so they compete for different ones, and
 * moves are the fewest needed (a join moves about {@code N/(M+1)}). It decides on every change of
 * the members or of a shard's holder its electors see. {@link #pause()} stands a replica aside
 * (withdrawn, owning nothing) until {@link #resume()}.
 *
 * <p>Thread-safe.
 *
 * @since 0.2.0
 */
public final class ShardGroup implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ShardGroup.class);

  private final String name;
  private final String identity;
  private final Presence presence;
  private final ShardElectors electors;
  private final Rebalancing rebalancing;
  private final GroupThreads threads;
  private boolean started;
  private volatile boolean paused;
  private @Nullable CompletableFuture<Void> closed;

  private ShardGroup(Builder builder, GroupThreads threads) {
    this.name = builder.name;
    this.identity = builder.identity;
    this.presence = new Presence(builder.membership, builder.identity);
    this.threads = threads;
    List<LeaderElector> built = new ArrayList<>(builder.shards);
    for (int shard = 0; shard < builder.shards; shard++) {
      LeaseLock lock = new ObservedLock(Objects.requireNonNull(builder.locks.lock(shard),
          "the lock of shard " + shard), this::somethingChanged);
      built.add(builder.elector(lock, shard, this::somethingChanged, threads.electionThreads()));
    }
    this.electors = new ShardElectors(built);
    this.rebalancing = new Rebalancing(identity, name, electors, threads.balancing());
  }

  /** A shard's holder may have changed: decide again (never before the group has started). */
  private void somethingChanged() {
    rebalancing.request();
  }

  /**
   * Starts a builder.
   *
   * @param name the group's name, for logs
   * @param shards how many shards, at least 1
   * @param locks the lock of each shard, by index from 0; each shard needs a lock of its own
   * @param membership the group's membership as this replica sees it
   * @param identity this replica's identity, unique in the group, used by every shard's elector
   */
  public static Builder builder(String name, int shards, ShardLocks locks,
      GroupMembership membership, String identity) {
    return new Builder(name, shards, locks, membership, identity);
  }

  /**
   * Starts every shard's elector (standing aside), joins the membership (unless paused) and
   * watches it; competes once the first view of the members arrives. Returns at once.
   *
   * @throws IllegalStateException if already started or closed
   */
  public synchronized void start() {
    if (closed != null || started) {
      throw new IllegalStateException("group " + name + " was already started or closed");
    }
    started = true;
    electors.startPaused();
    if (!paused) {
      presence.announce();
    }
    presence.watch(rebalancing);
  }

  /**
   * Stands this replica aside: withdraws it from the membership (blocking at most the
   * membership's request timeout), so the others count it out and compete for its shards, and
   * hands off every shard it owns as balancing does (its work stops, then its lease is released).
   * It competes for no shard, and keeps watching the members, until {@link #resume()}. Called
   * before {@link #start()}, the group starts paused. Does nothing when paused or closed.
   *
   * @return completes once every shard it owned was handed off (or its hand-off given up)
   * @since 0.2.0
   */
  public synchronized CompletionStage<Void> pause() {
    CompletableFuture<Void> handedOff = CompletableFuture.completedFuture(null);
    if (!paused && closed == null) {
      paused = true;
      rebalancing.pause(); // no decision resumes an elector from here on
      presence.withdraw();
      handedOff = started ? electors.pauseAll() : handedOff;
    }
    return handedOff.minimalCompletionStage();
  }

  /**
   * Ends a {@link #pause()}: joins the membership again and competes for this replica's fair
   * share. Does nothing unless paused, or once closed.
   *
   * @since 0.2.0
   */
  public synchronized void resume() {
    if (!paused || closed != null) {
      return;
    }
    paused = false;
    if (started) {
      presence.announce();
    }
    rebalancing.resume();
  }

  /**
   * Whether this replica stands aside ({@link #pause()}) and has not resumed.
   *
   * @since 0.2.0
   */
  public boolean isPaused() {
    return paused;
  }

  /**
   * Leaves the group: stops balancing, withdraws this replica from the membership (blocking at
   * most the membership's request timeout), so the others start competing for its shards, then
   * closes every shard's elector, which stops the shard's work and releases it. Idempotent.
   *
   * @return completes when every elector has closed and every release is done
   */
  public synchronized CompletionStage<Void> closeAsync() {
    if (closed == null) {
      rebalancing.stop();
      presence.close();
      closed = electors.close().whenComplete((ignored, failure) -> threads.close());
    }
    return closed.minimalCompletionStage();
  }

  /**
   * Closes as {@link #closeAsync()} does, waiting for it at most the longest lease duration of
   * the shards' electors.
   */
  @Override
  public void close() {
    try {
      closeAsync().toCompletableFuture()
          .get(electors.longestLeaseDuration().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Closing shard group {} did not finish cleanly", name, e);
    }
  }

  /**
   * The shards this replica leads now, a snapshot. A shard leaves it no later than the renew
   * deadline after its last successful renew, as {@link LeaderElector#isLeader()} turns false.
   */
  public SortedSet<Integer> ownedShards() {
    return Collections.unmodifiableSortedSet(electors.owned());
  }

  /** Whether this replica leads {@code shard} now. */
  public boolean owns(int shard) {
    return electors.elector(Objects.checkIndex(shard, shards())).isLeader();
  }

  /** This replica's term of {@code shard}, with its fencing token, while it leads the shard. */
  public Optional<LeaderContext> term(int shard) {
    return electors.elector(Objects.checkIndex(shard, shards())).currentTerm();
  }

  /**
   * The holder of {@code shard} and its term's token, as this replica last observed them (it may
   * be out of date); empty when the shard was seen free or not yet seen.
   */
  public Optional<ShardOwner> owner(int shard) {
    return electors.owner(Objects.checkIndex(shard, shards()));
  }

  /** The shard of {@code key}: {@link ShardKeys#shardOf(String, int)} over this group's shards. */
  public int shardOf(String key) {
    return ShardKeys.shardOf(key, electors.size());
  }

  /** The live members as last seen, this replica's own included once its join is seen. */
  public Set<String> members() {
    return rebalancing.members();
  }

  /** The number of shards this replica aims at now; 0 before it first decided or while paused. */
  public int fairShare() {
    return paused ? 0 : rebalancing.share();
  }

  /**
   * The lock failure of the shard, among those this replica competes for or owns now, whose lock
   * has been failing longest, with how long; empty while their locks answer. As for an election
   * ({@link LeaderElector#lastFailure()}), a round in which the lock answers, or a change its
   * watch delivers, clears a shard's failure. Shards this replica stands aside from make no lock
   * call and never count. Health uses it to tell a group whose backend fails from one that merely
   * owns few shards. Thread-safe.
   *
   * @since 0.2.0
   */
  public Optional<ShardFailure> lockFailure() {
    return electors.longestFailure();
  }

  /**
   * Why the watch on the members is down, from the membership's report until the next view of
   * the members arrives; empty while it is up (or before it reported anything). While it is down
   * the group decides on the last view, which costs balance, never safety. Thread-safe.
   *
   * @since 0.2.0
   */
  public Optional<LeaseLockException> membershipFailure() {
    return rebalancing.watchFailure();
  }

  /**
   * The timings of a shard's elector (the same for every shard unless an
   * {@link ElectorCustomizer} set them by shard).
   *
   * @throws IndexOutOfBoundsException when {@code shard} is not in [0, {@link #shards()})
   * @since 0.2.0
   */
  public LeaseTimings timings(int shard) {
    return electors.elector(shard).timings();
  }

  /** How many shards the group has. */
  public int shards() {
    return electors.size();
  }

  /** The group's name. */
  public String name() {
    return name;
  }

  /** This replica's identity. */
  public String identity() {
    return identity;
  }

  @Override
  public String toString() {
    return "ShardGroup[" + name + ", " + identity + ", " + electors.size() + " shards]";
  }

  /**
   * Configures a {@link ShardGroup}: what is the group's own here, everything of each shard's
   * election through {@link #electorCustomizer}. Not thread-safe; {@link #build()} validates
   * everything.
   */
  public static final class Builder {

    private final String name;
    private final int shards;
    private final ShardLocks locks;
    private final GroupMembership membership;
    private final String identity;
    private final List<ShardListener> listeners = new ArrayList<>();
    private final List<ElectorCustomizer> customizers = new ArrayList<>();
    private @Nullable ElectionThreads threads;
    private @Nullable Executor balancingExecutor;

    private Builder(String name, int shards, ShardLocks locks, GroupMembership membership,
        String identity) {
      this.name = Objects.requireNonNull(name, "name");
      this.shards = shards;
      this.locks = Objects.requireNonNull(locks, "locks");
      this.membership = Objects.requireNonNull(membership, "membership");
      this.identity = Objects.requireNonNull(identity, "identity");
    }

    /**
     * The threads every shard's elector runs on (see {@link ElectionThreads}); the group does not
     * close them. By default the group creates its own with
     * {@link ElectionThreads#DEFAULT_LOCK_CALL_THREADS} and closes them on close.
     */
    public Builder threads(ElectionThreads threads) {
      this.threads = Objects.requireNonNull(threads, "threads");
      return this;
    }

    /** Adds a listener of every shard's terms; listeners are called in the order added. */
    public Builder listener(ShardListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Where balancing decisions run, one at a time; they never block (they pause and resume
     * electors). By default a daemon thread of the group's own, stopped on close.
     */
    public Builder balancingExecutor(Executor executor) {
      this.balancingExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Adds a customizer of every shard's elector; customizers run in the order added, after the
     * group set the elector's lock, identity, {@linkplain #threads threads} and listeners, so
     * what they set wins. Each shard's election takes the {@link LeaderElector.Builder}'s
     * defaults for what none sets ({@link dev.leaderelection.LeaseTimings#DEFAULTS} and so on).
     * A customizer must not make an elector {@linkplain LeaderElector.Builder#coordinatedBy
     * coordinated}: the group decides what each elector competes for.
     *
     * @since 0.2.0
     */
    public Builder electorCustomizer(ElectorCustomizer customizer) {
      customizers.add(Objects.requireNonNull(customizer, "customizer"));
      return this;
    }

    /**
     * Builds a group that has not started, with one elector per shard.
     *
     * @throws IllegalArgumentException when {@code shards} is not positive, or an elector's
     *     setting breaks its rule
     */
    public ShardGroup build() {
      if (shards < 1) {
        throw new IllegalArgumentException("shards is " + shards + "; it must be at least 1");
      }
      return new ShardGroup(this, GroupThreads.of(threads, balancingExecutor));
    }

    /** The elector of {@code shard}: the group's threads and listeners, then the customizers. */
    private LeaderElector elector(LeaseLock lock, int shard, Runnable onTransition,
        ElectionThreads electionThreads) {
      LeaderElector.Builder builder = LeaderElector.builder(lock, identity)
          .threads(electionThreads);
      listeners.forEach(listener -> builder.listener(new ShardEvents(shard, listener)));
      builder.listener(ShardEvents.transitions(onTransition));
      customizers.forEach(customizer -> customizer.customize(shard, builder));
      return builder.build();
    }
  }
}
