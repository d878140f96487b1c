package dev.leaderelection.internal.election;

import dev.leaderelection.internal.Identities;
import dev.leaderelection.spi.Candidacy;
import dev.leaderelection.spi.LeaderRecord;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coordinated: a coordinator stalled on a stale preference. Kubernetes 1.36's controller can name
 * this instance while preferring another candidate, then let the lease expire; when the preferred
 * one has departed without deleting its LeaseCandidate (or this instance now outranks it, or ties
 * with it), the controller may keep finding this instance best, and it never rewrites an expired
 * Lease whose holder it finds best, so nobody leads: for ever on a departed candidate (until
 * kubernetes/kubernetes#138066), on a tie for as many 5 s rounds as its random tie-break keeps
 * choosing this instance. This instance never leads on such a naming. Once
 * the lease has expired (on its own ticker) and the {@link Candidacy} says the preference is
 * stale, it releases the naming: no holder, no preference, guarded by the version it read, so
 * nobody can be leading on what it replaces (its holder defers, its preferred one is not named).
 * The controller then chooses again among live candidates.
 */
final class CoordinatorStall {

  private static final Logger log = LoggerFactory.getLogger(CoordinatorStall.class);

  private final @Nullable Candidacy candidacy;
  private final Candidate me;
  private final LockCalls calls;
  private final ElectionRecords records;
  private final Consumer<LeaderRecord> observer;
  private final String lock;

  CoordinatorStall(ElectionConfig config, LockCalls calls, ElectionRecords records,
      Consumer<LeaderRecord> observer) {
    this.candidacy = config.candidacy();
    this.me = new Candidate(config);
    this.calls = calls;
    this.records = records;
    this.observer = observer;
    this.lock = config.lock().describe();
  }

  /**
   * When {@code seen} names this instance, prefers another and has expired: releases it if the
   * preferred candidate departed; either way the next round comes after {@code retryNanos}.
   * Null otherwise, when the round goes on as usual.
   */
  @Nullable CompletableFuture<NextRound> releaseIfDeparted(Observation seen, long nowNanos,
      long retryNanos) {
    LeaderRecord named = seen.record();
    if (candidacy == null || !me.namedButDeferring(named) || !seen.expiredAt(nowNanos)) {
      return null;
    }
    String preferred = Objects.requireNonNull(named.preferredHolder()).identity();
    if (!candidacy.isPreferenceStale(preferred)) {
      return CompletableFuture.completedFuture(NextRound.in(retryNanos));
    }
    return calls.writeAsync(records.release(named)).thenApply(stored -> {
      stored.ifPresent(released -> {
        observer.accept(released);
        log.warn("{} was named to {} but left expired for the stale preferred candidate "
            + "'{}' (departed, outranked or tied); released the naming so that the coordinator "
            + "chooses again", lock,
            me.identity(), Identities.printable(preferred));
      });
      return NextRound.in(retryNanos);
    });
  }
}
