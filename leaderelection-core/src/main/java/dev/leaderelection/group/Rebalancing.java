package dev.leaderelection.group;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.MembershipListener;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides again whenever something a decision depends on may have changed: the live members
 * (from the membership watch), and any shard's holder (a term begun or ended, a record seen).
 * Requests coalesce; decisions run one at a time on the executor, never on the thread that
 * reported the change (a lock's watch, an election's listener). Before the first view of the
 * members it decides nothing, so a replica that starts does not take every free shard only to
 * hand most of them off a moment later, unless the watch reports that it is broken. Thread-safe.
 */
final class Rebalancing implements MembershipListener {

  private static final Logger log = LoggerFactory.getLogger(Rebalancing.class);

  private final String identity;
  private final String group;
  private final ShardElectors electors;
  private final Executor executor;
  private final AtomicBoolean requested = new AtomicBoolean();
  private final Balance.Preferences preferences;
  private volatile @Nullable Set<String> members;
  private volatile @Nullable LeaseLockException watchFailure;
  private volatile Balance.@Nullable Plan lastPlan;
  private volatile boolean stopped;
  private volatile boolean paused;

  Rebalancing(String identity, String group, ShardElectors electors, Executor executor) {
    this.identity = identity;
    this.group = group;
    this.electors = electors;
    this.executor = executor;
    this.preferences = new Balance.Preferences(electors.size());
  }

  @Override
  public void membersChanged(Set<String> live) {
    members = Set.copyOf(live);
    watchFailure = null;
    log.debug("{} sees the members of group {}: {}", identity, group, live);
    request();
  }

  /**
   * Keeps deciding on the last view; with none yet, on a view of this member alone, so that a
   * membership that cannot be reached costs balance, never every shard its leader: alone, a
   * member competes for free shards, and takes no shard another member renews.
   */
  @Override
  public void broken(LeaseLockException cause) {
    watchFailure = cause;
    if (members == null) {
      log.warn("{} cannot watch the members of group {} ({}); competing as if alone until it can",
          identity, group, cause.getMessage());
      members = Set.of(identity);
      request();
    } else {
      log.debug("{} lost the watch on the members of group {}; deciding on the last view",
          identity, group, cause);
    }
  }

  /** Asks for a decision; many requests before it runs make one. */
  void request() {
    if (stopped || paused || members == null || !requested.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(this::decide);
    } catch (RejectedExecutionException e) {
      requested.set(false);
      log.debug("Balancing of group {} stopped: the executor refused", group);
    }
  }

  /**
   * Decides nothing until {@link #resume()}; returns once a decision in progress has finished, so
   * no decision resumes an elector after it.
   */
  synchronized void pause() {
    paused = true;
  }

  /** Decides again, at once. */
  void resume() {
    paused = false;
    request();
  }

  /** Stops deciding; a decision in progress finishes. */
  void stop() {
    stopped = true;
  }

  /** The live members as last seen; empty before the first view. */
  Set<String> members() {
    Set<String> seen = members;
    return seen == null ? Set.of() : seen;
  }

  /** Why the watch is down, from its report until the next view arrives; empty while it is up. */
  Optional<LeaseLockException> watchFailure() {
    return Optional.ofNullable(watchFailure);
  }

  /** The share of the last decision; 0 before the first. */
  int share() {
    Balance.@Nullable Plan plan = lastPlan;
    return plan == null ? 0 : plan.share();
  }

  private synchronized void decide() {
    requested.set(false);
    Set<String> live = members;
    if (stopped || paused || live == null) {
      return;
    }
    Balance.Plan plan = Balance.plan(identity, live, electors.holders(), electors.owned(),
        preferences);
    if (!plan.release().isEmpty()) {
      log.info("{} hands off shards {} of group {} (its share is {} of {} shards over {} members)",
          identity, plan.release(), group, plan.share(), electors.size(), live.size());
    }
    electors.apply(plan);
    lastPlan = plan;
  }
}
