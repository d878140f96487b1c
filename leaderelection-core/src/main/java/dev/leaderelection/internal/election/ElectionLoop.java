package dev.leaderelection.internal.election;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.Ticker;
import dev.leaderelection.internal.Identities;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election, after client-go's {@code leaderelection.go}: rounds of
 * {@link #tryAcquireOrRenew()}, the begin and end of terms, hand-over to preferred candidates, and
 * release on close. Rounds run one at a time ({@link RoundScheduler}); a watch on the lock
 * ({@link LockWatch}) asks for a round when a change needs one.
 *
 * <p>A round's lock calls hold no thread while the lock answers: each step goes on where the
 * answer arrives ({@link LockCalls}). The term, the observation and the record last written are
 * shared between threads and guarded by {@code this}; no lock call is made while holding it.
 */
final class ElectionLoop {

  private static final Logger log = LoggerFactory.getLogger(ElectionLoop.class);

  private final ElectionConfig config;
  private final Candidate me;
  private final String identity;
  private final String lock;
  private final Ticker ticker;
  private final ListenerDispatcher listeners;
  private final ElectionRecords records;
  private final FencingTokens tokens;
  private final LockCalls calls;
  private final Observations observations;
  private final RoundScheduler rounds;
  private final LockWatch watch;
  private final HandOver handOver;
  private final Rest rest;

  private volatile @Nullable Term term;
  private @Nullable LeaderRecord lastWritten;
  private @Nullable CompletableFuture<Void> closing;
  private @Nullable Future<?> deadlineWatch;

  ElectionLoop(ElectionConfig config, ListenerDispatcher listeners, Rest rest) {
    this.config = config;
    this.me = new Candidate(config);
    this.identity = config.identity();
    this.lock = config.lock().describe();
    this.ticker = config.ticker();
    this.listeners = listeners;
    this.records = new ElectionRecords(config);
    this.tokens = new FencingTokens(lock, config.lock().reference().kind());
    this.rounds = new RoundScheduler(config, this::round);
    this.calls = new LockCalls(SharedIdentityCheck.unlessCoordinated(config), config, rounds);
    this.observations = new Observations(identity, lock, tokens, listeners);
    this.watch = new LockWatch(config, this::onRecordChanged, rounds::request, calls::watchOpened);
    this.handOver = new HandOver(config, calls, records, listeners, rounds,
        record -> observe(record, ticker.read()));
    this.rest = rest;
  }

  /** @throws IllegalStateException when already started or closed */
  void start() {
    rounds.start(watch::start);
  }

  private CompletableFuture<NextRound> round() {
    return calls.round(this::tryAcquireOrRenew,
        () -> NextRound.in(term != null ? config.retryPeriodNanos() : config.jitteredRetryNanos()));
  }

  /** One round, after client-go's tryAcquireOrRenew. */
  private CompletableFuture<NextRound> tryAcquireOrRenew() {
    // 0. After yielding, rest; a follower with a healthy watch sends nothing until the lease
    //    it saw expires: the watch reports every renewal and release as it happens.
    long waiting = Math.max(rest.remainingNanos(),
        term != null ? 0 : watch.followerMayWaitNanos(observations.current(), calls));
    if (waiting > 0) {
      return next(NextRound.in(waiting));
    }
    // 1. A leader renews from the record it last wrote: one request while nobody else writes.
    Term renewing = termAfterDeadlineCheck();
    LeaderRecord mine = lastWrittenIfMine();
    if (renewing != null && mine != null) {
      long sent = ticker.read();
      return calls.writeAsync(records.renewal(mine)).thenCompose(stored -> stored.isPresent()
          ? next(renewed(renewing, stored.get(), sent)) : readAndDecide());
    }
    // 2a. A follower acts on a release its watch delivered as if read (the acquire is conditional
    //     on that version, so a newer state only loses the race); else it reads.
    Optional<LeaderRecord> released = watch.takeRelease(observations.current());
    return renewing == null && released.isPresent() && !me.coordinated()
        ? decide(released, ticker.read()) : readAndDecide();
  }

  /** 2. Reads the record (a missing record is not an error) and decides. */
  private CompletableFuture<NextRound> readAndDecide() {
    return calls.readAsync().thenCompose(read -> decide(read, ticker.read()));
  }

  private CompletableFuture<NextRound> decide(Optional<LeaderRecord> read, long now) {
    // 3. No record, or a free one that lost its history (deleted, or recreated by a tool): an
    //    operator's way to force a hand-over, asserting that the holder is gone. A leader stops;
    //    a candidate takes the lease at once, with a token above every one it saw. (A record
    //    someone else holds is observed and waited out like any other, whatever its history.)
    if (read.isEmpty() || tokens.isFreeWithoutHistory(read.get())) {
      Term stopping = termAfterDeadlineCheck();
      if (stopping != null) {
        log.warn("{} was {} while {} led", lock, read.isEmpty() ? "deleted"
            : "recreated without a holder (leaseTransitions " + read.get().leaseTransitions()
                + ")", identity);
        endTerm(stopping, StepDownReason.STOLEN);
      }
      return acquire(read.orElse(null));
    }
    Observation seen = observe(read.get(), now);
    LeaderRecord current = seen.record();
    // 4. We lead: step down if someone else wrote the lock, hand over to a preferred
    //    candidate of higher priority, or renew.
    Term leading = termAfterDeadlineCheck();
    if (leading != null) {
      if (!me.holds(current) || current.leaseTransitions() != leading.fencingToken()) {
        // Another holder, or a record rewritten under us (recreated, or named again by a
        // coordinator) that no longer carries this term's token: a new term must take it.
        log.warn("{} was taken over by '{}' (fencing token {}) while {} led term {}", lock,
            Identities.printable(current.holderIdentity()), current.leaseTransitions(), identity,
            leading.fencingToken());
        endTerm(leading, StepDownReason.STOLEN);
        return next(NextRound.in(config.jitteredRetryNanos()));
      }
      if (me.mustDeferTo(current)) {
        handOver.handOver(current, () -> endTerm(leading, StepDownReason.PREEMPTED));
        return next(NextRound.afterHandOver());
      }
      long sent = ticker.read();
      return calls.writeAsync(records.renewal(current)).thenApply(stored -> stored.isPresent()
          ? renewed(leading, stored.get(), sent) : NextRound.in(config.retryPeriodNanos()));
    }
    // 5. Another instance holds an unexpired lease or is preferred (coordinated: we are not
    //    named): follow, and ask to be preferred when our priority is higher than the holder's.
    if (me.follows(seen, now)) {
      var unstalled = handOver.releaseIfStalled(seen, now); // named, left expired: departed?
      if (unstalled != null) {
        return unstalled;
      }
      CompletableFuture<Boolean> claim = rest.remainingNanos() > 0
          ? CompletableFuture.completedFuture(true) : handOver.claimIfOutranking(current);
      return claim.thenApply(claimed -> {
        if (!claimed) {
          return NextRound.in(config.jitteredRetryNanos());
        }
        return NextRound.in(Math.min(me.untilExpiryMatters(seen, now),
            watch.isHealthy() ? calls.untilSilenceCheck(now) : config.jitteredRetryNanos()));
      });
    }
    // 6. Free, expired, ours from an earlier run, or named ours by a coordinator: a new term.
    return acquire(current);
  }

  private CompletableFuture<NextRound> acquire(@Nullable LeaderRecord current) {
    long resting = rest.remainingNanos();
    if (!me.mayTake(current) || resting > 0) { // not named by a coordinator, or standing aside
      return next(NextRound.in(Math.max(resting, config.jitteredRetryNanos())));
    }
    LeaderRecord claim = records.newTerm(current, tokens.next(current));
    long sent = ticker.read();
    return (current == null ? calls.createAsync(claim) : calls.writeAsync(claim)).thenApply(
        stored -> stored.isEmpty() ? NextRound.in(config.jitteredRetryNanos())
            : beginTerm(stored.get(), sent));
  }

  private static CompletableFuture<NextRound> next(NextRound next) {
    return CompletableFuture.completedFuture(next);
  }

  /** Starts a term after an acquire; closed, paused or resting, releases it instead, never led. */
  private NextRound beginTerm(LeaderRecord stored, long sent) {
    Term begun = null;
    boolean closed;
    long resting;
    synchronized (this) {
      lastWritten = stored;
      observations.observe(stored, ticker.read());
      closed = closing != null;
      resting = rest.remainingNanos();
      // A term begun meanwhile by another round (one given up as lost) is never replaced.
      if (!closed && resting == 0 && term == null
          && ticker.read() - sent < config.renewDeadlineNanos()) {
        begun = new Term(identity, stored.leaseTransitions(), records.now(), ticker,
            config.renewDeadlineNanos(), sent);
        term = begun;
        // Queued while the term is published, so its end can only be queued after it.
        listeners.post(ListenerDispatcher.started(begun));
        watchDeadline(begun);
      }
    }
    listeners.flush();
    if (closed || resting > 0) {
      if (!closed || config.releaseOnClose()) {
        handOver.release(stored);
      }
      return closed ? NextRound.afterHandOver() : NextRound.in(resting);
    }
    log.info("{} {} {} (fencing token {})", identity, begun != null ? "started leading"
        : "acquired too late to lead", lock, stored.leaseTransitions());
    return NextRound.in(sent + config.retryPeriodNanos() - ticker.read());
  }

  private NextRound renewed(Term leading, LeaderRecord stored, long sent) {
    synchronized (this) {
      lastWritten = stored;
      observations.observe(stored, ticker.read());
    }
    listeners.flush();
    if (!leading.renewIfActive(sent)) {
      endTerm(leading, StepDownReason.RENEW_DEADLINE_EXCEEDED);
      return NextRound.in(config.jitteredRetryNanos());
    }
    return NextRound.in(sent + config.retryPeriodNanos() - ticker.read());
  }

  /** The current term, ending it first if its renew deadline has passed. */
  private @Nullable Term termAfterDeadlineCheck() {
    Term current = term;
    if (current != null && current.deadlinePassed(ticker.read())) {
      endTerm(current, StepDownReason.RENEW_DEADLINE_EXCEEDED);
      return null;
    }
    return current;
  }

  /** Ends the term once; returns whether this call ended it. */
  private boolean endTerm(Term ending, StepDownReason reason) {
    if (!ending.end(reason)) {
      return false;
    }
    synchronized (this) {
      if (term == ending) {
        term = null;
      }
    }
    log.info("{} stopped leading {} (fencing token {}): {}", identity, lock,
        ending.fencingToken(), reason);
    ending.complete();
    listeners.stoppedLeading(ending, reason);
    return true;
  }

  /** Ends {@code watched} at its renew deadline, on the scheduler, unless it was renewed. */
  private synchronized void watchDeadline(Term watched) {
    if (closing == null) {
      long delay = Math.max(0, watched.deadlineNanos() - ticker.read());
      deadlineWatch = rounds.schedule(() -> {
        if (term == watched && termAfterDeadlineCheck() == watched) {
          watchDeadline(watched);
        }
      }, delay);
    }
  }

  /** When leading: {@code before}, then the term ends and the lease is released; else false. */
  CompletableFuture<Boolean> yieldTerm(Runnable before) {
    Term leading;
    LeaderRecord held;
    synchronized (this) { // a pause either sees a term begun, or beginTerm sees the pause
      leading = closing == null ? term : null; // once closing, close releases the term
      held = lastWrittenIfMine();
    }
    return leading == null || held == null || termAfterDeadlineCheck() != leading
        ? CompletableFuture.completedFuture(false)
        : handOver.yieldTerm(held, rest, before, () -> endTerm(leading, StepDownReason.YIELDED));
  }

  void requestRound() {
    rounds.request();
  }

  /**
   * Closes the loop: ends the term, lets listeners finish (bounded), then releases; completes
   * once the round in progress has ended and every release begun is written or given up. The
   * watch closes last: closing it first delayed the release's write on Kubernetes.
   */
  CompletableFuture<Void> close() {
    synchronized (this) {
      if (closing != null) {
        return closing;
      }
      closing = new CompletableFuture<>();
      RoundScheduler.cancel(deadlineWatch);
    }
    CompletableFuture<Void> roundEnded = rounds.close();
    calls.close();
    Term leading = termAfterDeadlineCheck();
    StepDownReason reason =
        config.releaseOnClose() ? StepDownReason.RELEASED : StepDownReason.SHUTDOWN;
    if (leading != null && endTerm(leading, reason) && config.releaseOnClose()) {
      LeaderRecord held = lastWrittenIfMine();
      if (held != null) {
        handOver.releaseAfterListeners(held);
      }
    }
    CompletableFuture<Void> closed = closing;
    roundEnded.thenCompose(ignored -> handOver.releasesDone())
        .whenComplete((ignored, failure) -> watch.close())
        .whenComplete((ignored, failure) -> closed.complete(null));
    return closed;
  }

  /**
   * A change seen on the watch: observed at once, and answered with a round at once when it
   * needs one (a release, a deletion, a hand-over, or another holder while we lead).
   */
  private void onRecordChanged(Optional<LeaderRecord> changed) {
    calls.watchDelivered();
    if (changed.isEmpty() || tokens.isFreeWithoutHistory(changed.get())) {
      // Deleted or recreated free: the holder last seen no longer counts (step 3).
      synchronized (this) {
        observations.forget();
      }
      rounds.request();
      return;
    }
    observe(changed.get(), ticker.read());
    if (me.mustActOn(changed.get(), term != null)) {
      rounds.request();
    }
  }

  private Observation observe(LeaderRecord record, long nowNanos) {
    Observation current;
    synchronized (this) {
      current = observations.observe(record, nowNanos);
    }
    listeners.flush();
    return current;
  }

  private synchronized @Nullable LeaderRecord lastWrittenIfMine() {
    return lastWritten != null && me.holds(lastWritten) ? lastWritten : null;
  }

  Optional<LeaderContext> currentTerm() {
    Term current = term;
    return current != null && current.isActive() ? Optional.of(current) : Optional.empty();
  }

  Optional<Observation> observation() {
    return Optional.ofNullable(observations.current());
  }

  /** The lock's calls: what they tell of the lock's health. */
  LockCalls calls() {
    return calls;
  }

  Optional<LeaseLockException> watchFailure() {
    return watch.failure();
  }

  /** client-go's Check: unhealthy when we still act as leader long after the lease expired. */
  Optional<String> check(Duration maxTolerableExpiredLease) {
    Term current = term;
    return current == null ? Optional.empty() : current.stuck(
        config.timings().leaseDuration().plus(maxTolerableExpiredLease), lock);
  }
}
