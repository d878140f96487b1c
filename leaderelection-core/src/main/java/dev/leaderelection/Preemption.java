package dev.leaderelection;

import dev.leaderelection.LeaderRecord.PreferredHolder;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Preferred-holder hand-over, both ways: a follower of higher priority asks to be preferred, and
 * a leader that must defer ends its term and releases the lease once its listeners are done, so
 * the next leader's work never overlaps ours. Thread-safe.
 */
final class Preemption {

  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

  private final ElectionConfig config;
  private final Candidate me;
  private final String lock;
  private final LockCalls calls;
  private final ElectionRecords records;
  private final Release release;
  private final RoundScheduler rounds;
  private final Consumer<LeaderRecord> observer;
  private @Nullable CompletableFuture<Void> handingOver;

  /** @param observer records every state a preference claim wrote */
  Preemption(ElectionConfig config, LockCalls calls, ElectionRecords records, Release release,
      RoundScheduler rounds, Consumer<LeaderRecord> observer) {
    this.config = config;
    this.me = new Candidate(config.identity(), config.priority());
    this.lock = config.lock().describe();
    this.calls = calls;
    this.records = records;
    this.release = release;
    this.rounds = rounds;
    this.observer = observer;
  }

  /**
   * Asks to be preferred when this instance outranks the holder and anyone who asked before.
   *
   * @return false when a needed claim did not land (the record changed meanwhile)
   */
  boolean claimIfOutranking(LeaderRecord current) {
    if (!me.outranksForPreference(current)) {
      return true;
    }
    Optional<LeaderRecord> stored = calls.write(records.preferenceClaim(current));
    stored.ifPresent(claimed -> {
      observer.accept(claimed);
      log.info("{} asked '{}' to hand over {} (priority {} > {})", me.identity(),
          Identities.printable(current.holderIdentity()), lock, me.priority(),
          current.holderPriority());
    });
    return stored.isPresent();
  }

  /**
   * Hands {@code current} over to its preferred holder: runs {@code endTerm}, releases the lease
   * after the listeners (bounded by the renew deadline), then schedules the next round.
   */
  void handOver(LeaderRecord current, Runnable endTerm) {
    PreferredHolder to = current.preferredHolder();
    log.info("{} hands {} over to '{}' (priority {} > {})", me.identity(), lock,
        to != null ? Identities.printable(to.identity()) : "", to != null ? to.priority() : 0,
        me.priority());
    endTerm.run();
    CompletableFuture<Void> released = release.afterListeners(current)
        .whenComplete((ignored, failure) -> rounds.scheduleIn(config.jitteredRetryNanos()));
    synchronized (this) {
      handingOver = released;
    }
  }

  /** The last hand-over, until its release is written; null when there was none. */
  synchronized @Nullable CompletableFuture<Void> inProgress() {
    return handingOver;
  }
}
