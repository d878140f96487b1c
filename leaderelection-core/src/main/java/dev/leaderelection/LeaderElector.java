package dev.leaderelection;

import dev.leaderelection.internal.Durations;
import dev.leaderelection.internal.election.Election;
import dev.leaderelection.internal.election.ElectionConfig;
import dev.leaderelection.internal.election.OwnThreads;
import dev.leaderelection.spi.Candidacy;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Competes for one {@link LeaseLock} until closed, so that at most one instance leads at a time.
 *
 * <pre>{@code
 * LeaderElector elector = LeaderElector.builder(lock, "pod-a_3f2c9e1d")
 *     .listener(new LeadershipListener() {
 *       public void onStartedLeading(LeaderContext context) { worker.start(context); }
 *       public void onStoppedLeading(LeaderContext context, StepDownReason reason) { worker.stop(); }
 *     })
 *     .build();
 * elector.start();
 * ...
 * elector.close(); // stops leader work, then releases the lease
 * }</pre>
 *
 * <p>The elector never stops competing on its own: after losing the lease it is a candidate again.
 * It stops believing it leads no later than the renew deadline after its last successful renew,
 * which is before any other candidate may take over. Thread-safe.
 *
 * @since 0.1.0
 */
public final class LeaderElector implements AutoCloseable {

  /**
   * The longest back-off of {@link #yield(Duration)}: 365 days.
   * @since 0.2.0
   */
  public static final Duration MAX_YIELD_BACK_OFF = Duration.ofDays(365);
  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);
  private final ElectionConfig config;
  private final Election election;

  private LeaderElector(ElectionConfig config, List<LeadershipListener> listeners,
      List<ExecutorService> owned) {
    this.config = config;
    this.election = new Election(config, listeners, owned);
  }

  /**
   * Starts a builder.
   *
   * @param lock where the election is held
   * @param identity this instance's identity, unique among all candidates and processes
   */
  public static Builder builder(LeaseLock lock, String identity) {
    return new Builder(lock, identity);
  }

  /**
   * Starts competing in the background; returns at once.
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    election.start();
  }

  /**
   * Stops competing. When leading: ends the term, waits (at most the renew deadline) for listeners
   * to handle it, then, if release on close is enabled, releases the lease so another candidate
   * takes over at once. A coordinated elector withdraws its {@link Candidacy} first. Sends no
   * round's call after close; an acquire in flight lands and is released, never led. Idempotent.
   *
   * @return completes when the elector has stopped and every release it began is done
   */
  public CompletionStage<Void> closeAsync() {
    return election.close().minimalCompletionStage();
  }

  /** Closes as {@link #closeAsync()} does, waiting for it at most the lease duration. */
  @Override
  public void close() {
    try {
      closeAsync().toCompletableFuture()
          .get(config.timings().leaseDuration().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Closing the elector for {} did not finish cleanly", config.lock().describe(), e);
    }
  }

  /**
   * Gives leadership up for {@code backOff}, as an operator's hand-over: a leader ends its term
   * ({@link StepDownReason#YIELDED}), waits (at most the renew deadline) for listeners as on
   * close, releases the lease so another takes over at once, and competes again after
   * {@code backOff}. A follower does nothing. The release frees only the term yielded, never a
   * later one (after a zero back-off, or a resume). Thread-safe.
   *
   * @return completes with {@code true} once the release was written (or given up after a
   *     failure), or at once with {@code false} when this instance did not lead
   * @throws IllegalArgumentException when {@code backOff} is negative or longer than
   *     {@link #MAX_YIELD_BACK_OFF} (to stay out longer, {@link #pause()})
   * @since 0.2.0
   */
  public CompletionStage<Boolean> yield(Duration backOff) {
    if (Durations.requireNotNegative("backOff", backOff).compareTo(MAX_YIELD_BACK_OFF) > 0) {
      throw new IllegalArgumentException("backOff is " + Durations.format(backOff)
          + "; it must be at most " + MAX_YIELD_BACK_OFF.toDays() + "d");
    }
    return election.yieldFor(backOff.toNanos()).minimalCompletionStage();
  }

  /**
   * Stops competing until {@link #resume()}: a leader yields as on {@link #yield(Duration)}, a
   * follower stops asking for the lease (an acquire in flight is released, never led);
   * {@link #close()} still ends the election. Thread-safe.
   *
   * @return completes as {@link #yield(Duration)}'s stage does
   * @since 0.2.0
   */
  public CompletionStage<Boolean> pause() {
    return election.pause().minimalCompletionStage();
  }

  /**
   * Competes again now, ending a {@link #pause()} or a yield's back-off.
   * @since 0.2.0
   */
  public void resume() {
    election.resume();
  }

  /**
   * Whether this elector is paused and not yet resumed.
   * @since 0.2.0
   */
  public boolean isPaused() {
    return election.isPaused();
  }

  /**
   * Whether this instance leads now. Turns false no later than the renew deadline after the last
   * successful renew, even while a lock call hangs.
   */
  public boolean isLeader() {
    return election.currentTerm().isPresent();
  }

  /**
   * This instance's current term, while it leads: its fencing token and a context that is
   * cancelled when the term ends. Unlike {@link #observedRecord()}, which may already show a
   * newer term of another instance, the token is always this instance's own.
   *
   * @return the term, or empty when this instance does not lead
   */
  public Optional<LeaderContext> currentTerm() {
    return election.currentTerm();
  }

  /** The identity of the last holder observed, this instance included; empty when none. */
  public Optional<String> leader() {
    return observedRecord().map(LeaderRecord::holderIdentity).filter(holder -> !holder.isEmpty());
  }

  /** The record as last read or written by this instance; empty before the first round. */
  public Optional<LeaderRecord> observedRecord() {
    return election.observedRecord();
  }

  /**
   * The failure of the last round, if it failed; cleared by the next round in which the lock
   * answered, or by a change delivered by the watch. A round that makes no call (a follower
   * waiting on a healthy watch) does not clear it.
   */
  public Optional<LeaseLockException> lastFailure() {
    return election.lastFailure();
  }

  /**
   * How long the lock has been failing: from the first failed round of the current outage until
   * now, on this elector's ticker; zero while {@link #lastFailure()} is empty. Health uses it to
   * tolerate a short outage.
   *
   * @since 0.2.0
   */
  public Duration failingFor() {
    return Duration.ofNanos(election.failingForNanos());
  }

  /**
   * Why this elector polls its lock instead of watching it, if it does: the last failure to
   * watch (for example, no {@code watch} permission), until a watch opens. Locks that cannot
   * watch at all report nothing.
   */
  public Optional<LeaseLockException> watchFailure() {
    return election.watchFailure();
  }

  /**
   * A health check equivalent to client-go's {@code Check}: reports a problem when this instance
   * still acts as leader although it has not renewed the lease for longer than the lease duration
   * plus {@code maxTolerableExpiredLease}, which means its election loop is stuck.
   *
   * @return a description of the problem, or empty when healthy
   */
  public Optional<String> check(Duration maxTolerableExpiredLease) {
    return election.check(
        Objects.requireNonNull(maxTolerableExpiredLease, "maxTolerableExpiredLease"));
  }

  /** This instance's identity. */
  public String identity() {
    return config.identity();
  }

  /** The lock this elector competes for. */
  public LeaseLock lock() {
    return config.lock();
  }

  /** The timings of this election. */
  public LeaseTimings timings() {
    return config.timings();
  }

  /**
   * This candidate's priority (0 unless set on the builder).
   *
   * @since 0.2.0
   */
  public int priority() {
    return config.priority();
  }

  @Override
  public String toString() {
    return "LeaderElector[" + config.identity() + " on " + config.lock().describe() + "]";
  }

  /**
   * Configures a {@link LeaderElector}. Not thread-safe; {@link #build()} validates everything.
   */
  public static final class Builder {

    private final LeaseLock lock;
    private final String identity;
    private final List<LeadershipListener> listeners = new ArrayList<>();
    private LeaseTimings timings = LeaseTimings.DEFAULTS;
    private int priority;
    private @Nullable Candidacy candidacy;
    private boolean releaseOnClose = true;
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();
    private @Nullable ScheduledExecutorService scheduler;
    private @Nullable Executor executor;
    private @Nullable Executor callbackExecutor;
    private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();

    private Builder(LeaseLock lock, String identity) {
      this.lock = Objects.requireNonNull(lock, "lock");
      this.identity = Objects.requireNonNull(identity, "identity");
    }

    /** Lease duration, renew deadline and retry period; {@link LeaseTimings#DEFAULTS} if unset. */
    public Builder timings(LeaseTimings timings) {
      this.timings = Objects.requireNonNull(timings, "timings");
      return this;
    }

    /**
     * Whether {@link #close()} releases a held lease so another candidate takes over at once
     * instead of after the lease duration. Default {@code true}.
     */
    public Builder releaseOnClose(boolean releaseOnClose) {
      this.releaseOnClose = releaseOnClose;
      return this;
    }

    /**
     * This candidate's priority, {@code 0} (the default) or more. A candidate whose priority is
     * higher than the leader's asks it to hand over; the leader releases at its next renew and the
     * candidate acquires, without any instant of two leaders. A leader that died is still replaced
     * only when its lease expires.
     */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * Lets a coordinator choose the leader (see {@link Candidacy}): the elector never takes the
     * lock itself and leads only while the record names it. Priorities do not apply.
     *
     * @since 0.2.0
     */
    public Builder coordinatedBy(Candidacy candidacy) {
      this.candidacy = Objects.requireNonNull(candidacy, "candidacy");
      return this;
    }

    /** Adds a listener; listeners are called in the order they were added. */
    public Builder listener(LeadershipListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The monotonic time source for expiry and deadlines; {@link Ticker#system()} by default. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The wall clock used only to write acquire and renew times; UTC system clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The scheduler for election rounds and deadlines; many electors may share one. Its tasks
     * never block. By default each elector has a one-thread scheduler, shut down on close.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The executor for lock calls, which block. Many electors may share one. By default each
     * elector has a cached pool of daemon threads, shut down on close.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The executor on which listeners are called, one call at a time. By default each elector has
     * its own callback thread, so a slow listener can never hold up a lock call; an executor
     * shared with lock calls must be able to grow (a cached pool, not a single thread).
     */
    public Builder callbackExecutor(Executor callbackExecutor) {
      this.callbackExecutor = Objects.requireNonNull(callbackExecutor, "callbackExecutor");
      return this;
    }

    /**
     * Runs this elector on threads shared with other electors: their scheduler, lock-call
     * threads and listener pool (replacing any {@link #scheduler}, {@link #executor} or
     * {@link #callbackExecutor} set before). The elector does not close them.
     */
    public Builder threads(ElectionThreads threads) {
      Objects.requireNonNull(threads, "threads");
      this.scheduler = threads.scheduler();
      this.executor = threads.lockCalls();
      this.callbackExecutor = threads.callbacks();
      return this;
    }

    /** For tests: the source of the retry jitter, a number in [0, 1). */
    Builder jitter(DoubleSupplier jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * Validates the configuration and builds an elector that has not started.
     *
     * @throws IllegalArgumentException naming the setting, its value and the rule it breaks
     */
    public LeaderElector build() {
      ElectionConfig.validate(identity, priority);
      OwnThreads own = new OwnThreads(lock.describe());
      ElectionConfig config = new ElectionConfig(lock, identity, timings, priority, candidacy,
          releaseOnClose, ticker, clock, own.scheduler(scheduler), own.lockCalls(executor),
          own.callbacks(callbackExecutor), jitter);
      return new LeaderElector(config, listeners, own.owned());
    }
  }
}
