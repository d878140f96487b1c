package dev.leaderelection;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.leaderelection.LeaderRecord.PreferredHolder;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election: rounds of {@link #tryAcquireOrRenew()} on the scheduler, a watch on the leader's
 * renew deadline, hand-over to preferred candidates, and release on close.
 *
 * <p>Rounds run one at a time: the next is scheduled when the previous finishes. Lock calls run
 * on the configured executor, so a hung call never blocks the scheduler, which therefore ends a
 * term on time. State shared between threads is guarded by {@code this}; no lock call is made
 * while holding it.
 */
final class ElectionLoop {

  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);
  private static final long HANDING_OVER = -1;

  private final ElectionConfig config;
  private final LeaseLock lock;
  private final String identity;
  private final Ticker ticker;
  private final ListenerDispatcher listeners;
  private final FailureLog failures;
  private final LockWatch watch;
  private final QueueDelayLog queueDelays;
  private final SharedIdentityCheck sharedIdentity;
  private final ElectionRecords records;
  private final FencingTokens tokens;

  private volatile @Nullable Term term;
  private volatile @Nullable Observation observed;
  private @Nullable LeaderRecord lastWritten;
  private boolean started;
  private @Nullable CompletableFuture<Void> closing;
  private @Nullable Future<?> nextRound;
  private long nextRoundDueNanos;
  private @Nullable Future<?> deadlineWatch;
  private String reportedLeader = "";
  private @Nullable CompletableFuture<Void> handingOver;
  private boolean refusalLogged;
  private volatile long roundSubmittedNanos;
  private volatile boolean answeredThisRound;
  private volatile long lastAnswerNanos;
  private boolean roundInProgress;
  private boolean roundRequested;

  ElectionLoop(ElectionConfig config, ListenerDispatcher listeners) {
    this.config = config;
    this.lock = config.lock();
    this.identity = config.identity();
    this.ticker = config.ticker();
    this.listeners = listeners;
    this.failures = new FailureLog(lock.describe());
    this.queueDelays = new QueueDelayLog(lock.describe(), config.timings().renewDeadline(),
        ticker);
    this.sharedIdentity = new SharedIdentityCheck(identity, lock.describe(), ticker);
    this.records = new ElectionRecords(identity, config.timings().leaseDuration(),
        config.priority(), config.clock());
    this.tokens = new FencingTokens(lock.describe());
    this.watch = new LockWatch(lock, config, this::onRecordChanged, this::requestRound,
        () -> lastAnswerNanos = ticker.read());
  }

  void start() {
    synchronized (this) {
      if (started || closing != null) {
        throw new IllegalStateException("The elector for " + lock.describe()
            + " was already " + (closing != null ? "closed" : "started"));
      }
      started = true;
    }
    watch.start();
    scheduleRound(0);
  }

  /**
   * One round, after client-go's tryAcquireOrRenew.
   *
   * @return nanoseconds until the next round, or {@link #HANDING_OVER} when a hand-over in
   *     progress schedules it
   */
  private long tryAcquireOrRenew() {
    // 0. A follower with a healthy watch sends nothing until the lease it saw expires: the
    //    watch reports every renewal and release as it happens.
    long waiting = untilWatchedLeaseExpires();
    if (waiting > 0) {
      return waiting;
    }
    // 1. A leader renews from the record it last wrote: one request while nobody else writes.
    Term leading = termAfterDeadlineCheck();
    LeaderRecord mine = lastWrittenIfMine();
    if (leading != null && mine != null) {
      long sent = ticker.read();
      Optional<LeaderRecord> stored = write(records.renewal(mine));
      if (stored.isPresent()) {
        return renewed(leading, stored.get(), sent);
      }
    }
    // 2. Read the record; a missing record is not an error.
    Optional<LeaderRecord> read = read();
    long now = ticker.read();
    // 3. No record, or a free one that lost its history (deleted, or recreated by a tool): an
    //    operator's way to force a hand-over, asserting that the holder is gone. A leader stops;
    //    a candidate takes the lease at once, with a token above every one it saw. (A record
    //    someone else holds is observed and waited out like any other, whatever its history.)
    if (read.isEmpty() || (tokens.lostHistory(read.get()) && !read.get().isHeld())) {
      Term stopping = termAfterDeadlineCheck();
      if (stopping != null) {
        log.warn("{} was {} while {} led", lock.describe(), read.isEmpty() ? "deleted"
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
    leading = termAfterDeadlineCheck();
    if (leading != null) {
      if (!isMine(current)) {
        log.warn("{} was taken over by '{}' while {} led", lock.describe(),
            Identities.printable(current.holderIdentity()), identity);
        endTerm(leading, StepDownReason.STOLEN);
        return config.jitteredRetryNanos();
      }
      sharedIdentity.check(current);
      if (mustDeferTo(current)) {
        return handOver(leading, current);
      }
      long sent = ticker.read();
      Optional<LeaderRecord> stored = write(records.renewal(current));
      return stored.isPresent() ? renewed(leading, stored.get(), sent) : retryAsLeader();
    }
    // 5. Another instance holds an unexpired lease, or a preferred candidate is due to take
    //    it: follow, and ask to be preferred when our priority is higher than the holder's.
    boolean heldByOther = current.isHeld() && !isMine(current);
    if ((heldByOther || mustDeferTo(current)) && !seen.expiredAt(now)) {
      if (!claimPreferenceIfOutranking(current)) {
        return config.jitteredRetryNanos();
      }
      long untilExpiry = seen.expiresAtNanos() - now;
      return watch.isHealthy() ? Math.min(untilExpiry, untilSilenceCheck(now))
          : Math.min(config.jitteredRetryNanos(), untilExpiry);
    }
    // 6. The lease is free, expired, or ours from an earlier run: begin a new term.
    return acquire(current);
  }

  private long acquire(@Nullable LeaderRecord current) {
    LeaderRecord claim = records.newTerm(current, tokens.next(current));
    long sent = ticker.read();
    Optional<LeaderRecord> stored = current == null ? create(claim) : write(claim);
    if (stored.isEmpty()) {
      return config.jitteredRetryNanos();
    }
    if (!beginTerm(stored.get(), sent)) {
      return HANDING_OVER;
    }
    return Math.max(0, sent + config.retryPeriodNanos() - ticker.read());
  }

  /** Starts a term after a successful acquire; returns false (and releases) if closed meanwhile. */
  private boolean beginTerm(LeaderRecord stored, long sent) {
    Term begun = null;
    boolean closed;
    sharedIdentity.confirmed(stored);
    synchronized (this) {
      lastWritten = stored;
      observeLocked(stored, ticker.read());
      closed = closing != null;
      if (!closed && !deadlinePassed(sent)) {
        begun = new Term(identity, stored.leaseTransitions(), records.now(), ticker,
            config.renewDeadlineNanos(), sent);
        term = begun;
        // Queued while the term is published, so its end can only be queued after it.
        listeners.post(ListenerDispatcher.started(begun));
        watchDeadline(begun);
      }
    }
    listeners.flush();
    if (closed) {
      if (config.releaseOnClose()) {
        release(stored);
      }
      return false;
    }
    if (begun == null) {
      log.debug("{} acquired {} too late to lead; trying again", identity, lock.describe());
      return true;
    }
    log.info("{} started leading {} (fencing token {})", identity, lock.describe(),
        begun.fencingToken());
    return true;
  }

  private boolean deadlinePassed(long sentNanos) {
    return ticker.read() - sentNanos >= config.renewDeadlineNanos();
  }

  private long renewed(Term leading, LeaderRecord stored, long sent) {
    sharedIdentity.confirmed(stored);
    synchronized (this) {
      lastWritten = stored;
      observeLocked(stored, ticker.read());
    }
    listeners.flush();
    if (!leading.renewIfActive(sent)) {
      endTerm(leading, StepDownReason.RENEW_DEADLINE_EXCEEDED);
      return config.jitteredRetryNanos();
    }
    return Math.max(0, sent + config.retryPeriodNanos() - ticker.read());
  }

  private long retryAsLeader() {
    return config.retryPeriodNanos();
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
    log.info("{} stopped leading {} (fencing token {}): {}", identity, lock.describe(),
        ending.fencingToken(), reason);
    ending.complete();
    listeners.stoppedLeading(ending, reason);
    return true;
  }

  private synchronized void watchDeadline(Term watched) {
    if (closing == null) {
      long delay = Math.max(0, watched.deadlineNanos() - ticker.read());
      deadlineWatch = schedule(() -> checkDeadline(watched), delay);
    }
  }

  private void checkDeadline(Term watched) {
    if (term != watched) {
      return;
    }
    if (watched.deadlinePassed(ticker.read())) {
      endTerm(watched, StepDownReason.RENEW_DEADLINE_EXCEEDED);
    } else {
      watchDeadline(watched);
    }
  }

  /**
   * Ends our term in favour of a preferred candidate: listeners finish (bounded) before the lease
   * is released, so the next leader's work never overlaps ours.
   */
  private long handOver(Term leading, LeaderRecord current) {
    PreferredHolder to = current.preferredHolder();
    log.info("{} hands {} over to '{}' (priority {} > {})", identity, lock.describe(),
        to != null ? Identities.printable(to.identity()) : "", to != null ? to.priority() : 0,
        config.priority());
    endTerm(leading, StepDownReason.PREEMPTED);
    CompletableFuture<Void> released = afterListeners()
        .thenRunAsync(() -> release(current), config.executor())
        .whenComplete((ignored, failure) -> scheduleRound(config.jitteredRetryNanos()));
    synchronized (this) {
      handingOver = released;
    }
    return HANDING_OVER;
  }

  private boolean outranksForPreference(LeaderRecord current) {
    int priority = config.priority();
    PreferredHolder preferred = current.preferredHolder();
    boolean outranksHolder = current.isHeld() && priority > current.holderPriority();
    boolean outranksPreferred = preferred == null
        || (!preferred.identity().equals(identity) && priority > preferred.priority());
    return outranksHolder && outranksPreferred;
  }

  /** Claims preference when outranking; returns false when a needed claim did not land. */
  private boolean claimPreferenceIfOutranking(LeaderRecord current) {
    int priority = config.priority();
    if (!outranksForPreference(current)) {
      return true;
    }
    Optional<LeaderRecord> stored = write(records.preferenceClaim(current));
    stored.ifPresent(claimed -> {
      observe(claimed, ticker.read());
      log.info("{} asked '{}' to hand over {} (priority {} > {})", identity,
          Identities.printable(current.holderIdentity()), lock.describe(), priority,
          current.holderPriority());
    });
    return stored.isPresent();
  }

  /** Closes the loop: ends the term, lets listeners finish (bounded), then releases. */
  CompletableFuture<Void> close() {
    CompletableFuture<Void> closed;
    LeaderRecord toRelease;
    synchronized (this) {
      if (closing != null) {
        return closing;
      }
      closing = closed = new CompletableFuture<>();
      cancel(nextRound);
      cancel(deadlineWatch);
    }
    watch.close();
    Term leading = termAfterDeadlineCheck();
    StepDownReason reason =
        config.releaseOnClose() ? StepDownReason.RELEASED : StepDownReason.SHUTDOWN;
    if (leading == null || !endTerm(leading, reason) || !config.releaseOnClose()) {
      CompletableFuture<Void> handOver;
      synchronized (this) {
        handOver = handingOver;
      }
      if (handOver != null) {
        handOver.whenComplete((ignored, failure) -> closed.complete(null));
      } else {
        closed.complete(null);
      }
      return closed;
    }
    synchronized (this) {
      toRelease = lastWritten;
    }
    afterListeners()
        .thenRunAsync(() -> {
          if (toRelease != null) {
            release(toRelease);
          }
        }, config.executor())
        .whenComplete((ignored, failure) -> closed.complete(null));
    return closed;
  }

  /** Releases a lease this instance holds: holder "" and a 1 s duration, re-reading once. */
  private void release(LeaderRecord held) {
    LeaderRecord current = held;
    try {
      for (int attempt = 0; attempt < 2 && current != null; attempt++) {
        if (!isMine(current)) {
          log.info("{} did not release {}: it is held by '{}'", identity, lock.describe(),
              Identities.printable(current.holderIdentity()));
          return;
        }
        Optional<LeaderRecord> stored = write(records.release(current));
        if (stored.isPresent()) {
          observe(stored.get(), ticker.read());
          log.info("{} released {}", identity, lock.describe());
          return;
        }
        current = attempt == 0 ? read().map(reread -> {
          observe(reread, ticker.read());
          return reread;
        }).orElse(null) : null;
      }
      log.info("{} did not release {}: it kept changing", identity, lock.describe());
    } catch (LeaseLockException e) {
      log.warn("{} could not release {}; others take over when the lease expires", identity,
          lock.describe());
    }
  }

  /** Completes when listeners have handled every notification so far, or at the deadline. */
  private CompletableFuture<Void> afterListeners() {
    CompletableFuture<Void> delivered = listeners.delivered();
    Future<?> timeout = schedule(() -> {
      if (delivered.complete(null)) {
        log.warn("Leadership listeners of {} did not finish within the renew deadline {}; "
            + "going on", lock.describe(), Durations.format(config.timings().renewDeadline()));
      }
    }, config.renewDeadlineNanos());
    if (timeout == null) {
      delivered.complete(null);
    }
    delivered.whenComplete((ignored, failure) -> cancel(timeout));
    return delivered;
  }

  /** Schedules the next round; of two requested rounds only the earlier one is kept. */
  private synchronized void scheduleRound(long delayNanos) {
    if (closing != null) {
      return;
    }
    long due = ticker.read() + delayNanos;
    if (nextRound != null && !nextRound.isDone() && nextRoundDueNanos <= due) {
      return;
    }
    cancel(nextRound);
    nextRound = schedule(this::submitRound, delayNanos);
    nextRoundDueNanos = due;
  }

  private @Nullable Future<?> schedule(Runnable task, long delayNanos) {
    try {
      return config.scheduler().schedule(task, delayNanos, NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.error("The scheduler of the elector for {} was shut down before the elector was "
          + "closed; the election stops", lock.describe());
      return null;
    }
  }

  private void submitRound() {
    synchronized (this) {
      nextRound = null;
      if (closing != null) {
        return;
      }
      if (roundInProgress) {
        roundRequested = true;
        return;
      }
      roundInProgress = true;
    }
    try {
      roundSubmittedNanos = ticker.read();
      config.executor().execute(this::runRound);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        if (!refusalLogged) {
          log.error("The executor of the elector for {} refused a round; retrying every "
              + "retry period", lock.describe(), e);
          refusalLogged = true;
        }
        roundInProgress = false;
        roundRequested = false;
      }
      scheduleRound(config.retryPeriodNanos());
    }
  }

  private void runRound() {
    queueDelays.waited(ticker.read() - roundSubmittedNanos);
    long delay = config.retryPeriodNanos();
    answeredThisRound = false;
    try {
      delay = tryAcquireOrRenew();
      // Only a round in which the lock answered clears a failure: one that made no call (a
      // follower waiting on a healthy watch) leaves it, so health does not flap in an outage.
      if (answeredThisRound) {
        failures.succeeded();
      }
    } catch (LeaseLockException e) {
      failures.failed(e);
      delay = term != null ? retryAsLeader() : config.jitteredRetryNanos();
    } catch (Exception e) {
      // Also checked exceptions thrown undeclared (Kotlin libraries such as OkHttp do).
      log.error("Unexpected failure in the election for {}; retrying", lock.describe(), e);
    } finally {
      // Even an Error must not end the election: the next round is always scheduled.
      synchronized (this) {
        roundInProgress = false;
        boolean requested = roundRequested;
        roundRequested = false;
        if (delay != HANDING_OVER) {
          scheduleRound(requested ? 0 : delay);
        } else if (requested) {
          scheduleRound(0);
        }
      }
    }
  }

  /** Runs a round as soon as possible: now, or right after the one in progress. */
  private synchronized void requestRound() {
    if (closing != null || !started) {
      return;
    }
    if (roundInProgress) {
      roundRequested = true;
      return;
    }
    scheduleRound(0);
  }

  /**
   * A change seen on the watch: recorded as an observation at once, and answered with a round
   * at once when it needs one (a release, a deletion, a preferred-holder hand-over, or another
   * holder while we lead). Other changes only move the expiry the next round waits for.
   */
  private void onRecordChanged(Optional<LeaderRecord> changed) {
    watchAnswered();
    if (changed.isEmpty() || (tokens.lostHistory(changed.get()) && !changed.get().isHeld())) {
      // Deleted or recreated free: the holder last seen no longer counts (step 3).
      synchronized (this) {
        observed = null;
      }
      requestRound();
      return;
    }
    LeaderRecord record = changed.get();
    observe(record, ticker.read());
    boolean leading = term != null;
    boolean actNow = leading ? !isMine(record) || mustDeferTo(record)
        : (!record.isHeld() && !mustDeferTo(record)) || outranksForPreference(record);
    if (actNow) {
      requestRound();
    }
  }

  /**
   * How long a follower with a healthy watch may wait without a request: until the lease it last
   * saw expires; 0 when it must act now (no watch, leading, nothing seen, expired, a free lease,
   * or a preference to claim).
   */
  private long untilWatchedLeaseExpires() {
    Observation seen = observed;
    if (!watch.isHealthy() || term != null || seen == null) {
      return 0;
    }
    LeaderRecord record = seen.record();
    long now = ticker.read();
    boolean waitingForOther = (record.isHeld() && !isMine(record)) || mustDeferTo(record);
    if (!waitingForOther || seen.expiredAt(now) || outranksForPreference(record)) {
      return 0;
    }
    return Math.min(seen.expiresAtNanos() - now, untilSilenceCheck(now));
  }

  /**
   * A watch that delivered nothing for a renew deadline (no renewal of a live leader: it renews
   * every retry period) may be dead without knowing it (a half-open connection, a frozen API
   * server): the follower then reads once, which also tells health whether the lock still
   * answers. Returns 0 when that read is due.
   */
  private long untilSilenceCheck(long nowNanos) {
    return Math.max(0, lastAnswerNanos + config.renewDeadlineNanos() - nowNanos);
  }

  /**
   * A watch delivered a change it could read: the lock answers and its record is usable. (A
   * watch that merely opens clears no failure: the record it will deliver may be malformed.)
   */
  private void watchAnswered() {
    lastAnswerNanos = ticker.read();
    failures.succeeded();
  }

  // ---- lock calls: a lost race is ordinary; every other failure ends the round (runRound)

  private Optional<LeaderRecord> read() {
    return call(lock::get);
  }

  private Optional<LeaderRecord> create(LeaderRecord record) {
    sharedIdentity.sending(record);
    return call(() -> Optional.of(lock.create(record)));
  }

  private Optional<LeaderRecord> write(LeaderRecord record) {
    sharedIdentity.sending(record);
    return call(() -> Optional.of(lock.update(record)));
  }

  /** Makes a lock call; an answer (a lost race included) counts as the lock answering. */
  private Optional<LeaderRecord> call(LockCall lockCall) {
    try {
      Optional<LeaderRecord> answer = lockCall.call();
      lockAnswered();
      return answer;
    } catch (LeaseConflictException e) {
      lockAnswered();
      log.debug("{} lost a race on {}: {}", identity, lock.describe(), e.getMessage());
      return Optional.empty();
    }
  }

  private void lockAnswered() {
    answeredThisRound = true;
    lastAnswerNanos = ticker.read();
  }

  @FunctionalInterface
  private interface LockCall {
    Optional<LeaderRecord> call();
  }

  // ---- observations

  private Observation observe(LeaderRecord record, long nowNanos) {
    Observation current;
    synchronized (this) {
      current = observeLocked(record, nowNanos);
    }
    listeners.flush();
    return current;
  }

  /**
   * Records an observation; the caller holds the monitor and flushes the listeners after
   * releasing it. A change of the preferred holder alone is not a renewal: it keeps the time the
   * holder's last renewal was first seen, so it never delays the replacement of a dead leader.
   */
  private Observation observeLocked(LeaderRecord record, long nowNanos) {
    Observation previous = observed;
    Observation current;
    if (previous != null && previous.isNewerThan(record)) {
      // A stale read, answered after the watch delivered a newer state: never go back.
      return previous;
    }
    if (previous != null && previous.isSameVersion(record)) {
      current = previous;
    } else if (previous != null && previous.isSameTerm(record)) {
      current = new Observation(record, previous.observedAtNanos());
    } else {
      current = new Observation(record, nowNanos);
    }
    observed = current;
    tokens.saw(record);
    String holder = record.holderIdentity();
    if (!holder.isEmpty() && !holder.equals(reportedLeader)) {
      reportedLeader = holder;
      if (!holder.equals(identity)) {
        log.info("{} observed a new leader of {}: '{}'", identity, lock.describe(),
            Identities.printable(holder));
      }
      listeners.post(ListenerDispatcher.newLeader(holder));
    }
    return current;
  }

  private synchronized @Nullable LeaderRecord lastWrittenIfMine() {
    return lastWritten != null && isMine(lastWritten) ? lastWritten : null;
  }

  private boolean isMine(LeaderRecord record) {
    return identity.equals(record.holderIdentity());
  }

  private boolean mustDeferTo(LeaderRecord record) {
    PreferredHolder preferred = record.preferredHolder();
    return preferred != null && !preferred.identity().equals(identity)
        && preferred.priority() > config.priority();
  }

  private static void cancel(@Nullable Future<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  // ---- queries, safe from any thread

  boolean isLeader() {
    return currentTerm().isPresent();
  }

  Optional<LeaderContext> currentTerm() {
    Term current = term;
    return current != null && current.isActive() ? Optional.of(current) : Optional.empty();
  }

  Optional<Observation> observation() {
    return Optional.ofNullable(observed);
  }

  Optional<LeaseLockException> lastFailure() {
    return failures.last();
  }

  Optional<LeaseLockException> watchFailure() {
    return watch.failure();
  }

  /** client-go's Check: unhealthy when we still act as leader long after the lease expired. */
  Optional<String> check(Duration maxTolerableExpiredLease) {
    Term current = term;
    if (current == null) {
      return Optional.empty();
    }
    Duration sinceRenew = Duration.ofNanos(ticker.read() - current.lastRenewNanos());
    Duration limit = config.timings().leaseDuration().plus(maxTolerableExpiredLease);
    if (sinceRenew.compareTo(limit) <= 0) {
      return Optional.empty();
    }
    return Optional.of(identity + " still acts as leader of " + lock.describe()
        + " but last renewed it " + Durations.format(sinceRenew.truncatedTo(ChronoUnit.MILLIS))
        + " ago, more than the lease duration plus the tolerance (" + Durations.format(limit)
        + "); the election loop is stuck");
  }
}
