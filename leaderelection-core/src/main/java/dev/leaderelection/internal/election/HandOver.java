package dev.leaderelection.internal.election;

import dev.leaderelection.internal.Durations;
import dev.leaderelection.internal.Identities;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Giving the lease up and asking for it: a follower of higher priority asks to be preferred; a
 * leader that must defer to a preferred candidate, or closes, releases the lease after its
 * listeners handled the end of the term (waiting at most the renew deadline), so the next
 * leader's work never overlaps ours. Releasing writes holder "" and a 1 s duration, re-reading
 * once when the record changed meanwhile; it frees only the term it was asked to release (same
 * holder and fencing token), never a record someone else holds or a later term of this instance.
 * Thread-safe.
 */
final class HandOver {

  private static final Logger log = LoggerFactory.getLogger(HandOver.class);

  private final ElectionConfig config;
  private final Candidate me;
  private final String lock;
  private final LockCalls calls;
  private final ElectionRecords records;
  private final ListenerDispatcher listeners;
  private final RoundScheduler rounds;
  private final Consumer<LeaderRecord> observer;
  private final CoordinatorStall stall;
  private final List<CompletableFuture<Void>> releasing = new ArrayList<>();

  /** @param observer records every state this class wrote or read */
  HandOver(ElectionConfig config, LockCalls calls, ElectionRecords records,
      ListenerDispatcher listeners, RoundScheduler rounds, Consumer<LeaderRecord> observer) {
    this.config = config;
    this.me = new Candidate(config);
    this.lock = config.lock().describe();
    this.calls = calls;
    this.records = records;
    this.listeners = listeners;
    this.rounds = rounds;
    this.observer = observer;
    this.stall = new CoordinatorStall(config, calls, records, observer);
  }

  /**
   * Coordinated: releases a naming left expired for a departed preferred candidate (see
   * {@link CoordinatorStall}); null when {@code seen} is no such naming.
   */
  @Nullable CompletableFuture<NextRound> releaseIfStalled(Observation seen, long nowNanos) {
    return stall.releaseIfDeparted(seen, nowNanos, config.jitteredRetryNanos());
  }

  /**
   * Asks to be preferred when this instance outranks the holder and anyone who asked before.
   *
   * @return completes with false when a needed claim did not land (the record changed)
   */
  CompletableFuture<Boolean> claimIfOutranking(LeaderRecord current) {
    if (!me.outranksForPreference(current)) {
      return CompletableFuture.completedFuture(true);
    }
    return calls.writeAsync(records.preferenceClaim(current)).thenApply(stored -> {
      stored.ifPresent(claimed -> {
        observer.accept(claimed);
        log.info("{} asked '{}' to hand over {} (priority {} > {})", me.identity(),
            Identities.printable(current.holderIdentity()), lock, me.priority(),
            current.holderPriority());
      });
      return stored.isPresent();
    });
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
    releaseAfterListeners(current)
        .whenComplete((ignored, failure) -> rounds.scheduleIn(config.jitteredRetryNanos()));
  }

  /**
   * Yields: runs {@code before} and {@code endTerm}, releases {@code held} after the listeners
   * (bounded by the renew deadline), then schedules the next round, which waits out {@code rest}.
   *
   * @return completes with true when the release was written or given up
   */
  CompletableFuture<Boolean> yieldTerm(LeaderRecord held, Rest rest, Runnable before,
      Runnable endTerm) {
    log.info("{} yields {}", me.identity(), lock);
    CompletableFuture<Void> released = tracked(new CompletableFuture<>()); // before close looks
    before.run();
    endTerm.run();
    releaseAfterListeners(held).whenComplete((ignored, failure) -> {
      rounds.scheduleIn(rest.remainingNanos());
      released.complete(null);
    });
    return released.thenApply(ignored -> true);
  }

  /** Completes when every release begun so far is written or given up. */
  synchronized CompletableFuture<Void> releasesDone() {
    return CompletableFuture.allOf(releasing.toArray(CompletableFuture[]::new));
  }

  /** Releases {@code held} on the lock-call executor once the listeners are done. */
  CompletableFuture<Void> releaseAfterListeners(LeaderRecord held) {
    return tracked(listenersDone().thenComposeAsync(ignored -> releasing(held),
        config.continuations()));
  }

  /**
   * Releases {@code held} (its calls start on the caller's thread); completes when the release
   * is written or given up.
   */
  CompletableFuture<Void> release(LeaderRecord held) {
    return tracked(releasing(held));
  }

  private CompletableFuture<Void> releasing(LeaderRecord held) {
    return release(held, held, 0).exceptionally(failure -> {
      log.warn("{} could not release {}; others take over when the lease expires",
          me.identity(), lock);
      return null;
    });
  }

  /** Keeps {@code release} in {@link #releasesDone()} until it completes. */
  private CompletableFuture<Void> tracked(CompletableFuture<Void> release) {
    synchronized (this) {
      releasing.add(release);
    }
    release.whenComplete((ignored, failure) -> {
      synchronized (this) {
        releasing.remove(release);
      }
    });
    return release;
  }

  /** One attempt: writes the release, re-reading once when the record changed meanwhile. */
  private CompletableFuture<Void> release(LeaderRecord held, @Nullable LeaderRecord current,
      int attempt) {
    if (current == null || attempt == 2) {
      log.info("{} did not release {}: it kept changing", me.identity(), lock);
      return CompletableFuture.completedFuture(null);
    }
    if (!me.holds(current) || current.leaseTransitions() != held.leaseTransitions()) {
      log.info("{} did not release {}: it is held by '{}' (fencing token {}), not by the term {} "
          + "it was asked to release", me.identity(), lock,
          Identities.printable(current.holderIdentity()), current.leaseTransitions(),
          held.leaseTransitions());
      return CompletableFuture.completedFuture(null);
    }
    return calls.releaseAsync(records.release(current)).thenCompose(stored -> {
      if (stored.isPresent()) {
        observer.accept(stored.get());
        log.info("{} released {}", me.identity(), lock);
        return CompletableFuture.completedFuture(null);
      }
      return attempt > 0 ? release(held, null, attempt + 1)
          : calls.rereadAsync().thenCompose(reread -> {
            reread.ifPresent(observer);
            return release(held, reread.orElse(null), attempt + 1);
          });
    });
  }

  /** Completes when listeners have handled every notification so far, or at the deadline. */
  private CompletableFuture<Void> listenersDone() {
    CompletableFuture<Void> delivered = listeners.delivered();
    Future<?> timeout = rounds.schedule(() -> {
      if (delivered.complete(null)) {
        log.warn("Leadership listeners of {} did not finish within the renew deadline {}; "
            + "going on", lock, Durations.format(config.timings().renewDeadline()));
      }
    }, config.renewDeadlineNanos());
    if (timeout == null) {
      delivered.complete(null);
    }
    delivered.whenComplete((ignored, failure) -> RoundScheduler.cancel(timeout));
    return delivered;
  }
}
