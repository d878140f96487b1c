package dev.leaderelection.testing;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Electors on one record of a real store, each through its own lock (as separate processes
 * have), and what happened to them on one monotonic clock: when each term began and ended and
 * why, when each identity last renewed or released, and how many calls each identity's lock made.
 * A backend's fixture extends it with the locks of its store. Thread-safe.
 */
public class ObservedElectors implements AutoCloseable {

  /** Short timings, so that a takeover takes seconds. */
  public static final LeaseTimings TIMINGS =
      LeaseTimings.of(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500));
  /** Each lock call's timeout, well inside {@link #TIMINGS}' renew deadline. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

  private final List<LeaderElector> electors = new CopyOnWriteArrayList<>();
  private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();
  private final Map<String, StepDownReason> stoppedReasons = new ConcurrentHashMap<>();
  private final Map<String, Long> stoppedNanos = new ConcurrentHashMap<>();
  private final Map<String, Long> releasedNanos = new ConcurrentHashMap<>();
  private final Map<String, Long> renewedNanos = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, LeaderContext> contexts = new ConcurrentHashMap<>();

  /** Starts an elector for {@code identity} on {@code lock}, observed, with {@link #TIMINGS}. */
  public LeaderElector start(String identity, LeaseLock lock,
      UnaryOperator<LeaderElector.Builder> configure) {
    LeaderElector elector = configure.apply(LeaderElector.builder(
            new ObservedLock(lock, identity), identity)
        .timings(TIMINGS)
        .listener(new LeadershipListener() {
          @Override
          public void onStartedLeading(LeaderContext context) {
            startedNanos.put(identity, System.nanoTime());
            contexts.put(identity, context);
          }

          @Override
          public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
            stoppedNanos.put(identity, System.nanoTime());
            stoppedReasons.put(identity, reason);
          }
        }))
        .build();
    electors.add(elector);
    elector.start();
    return elector;
  }

  /** The electors that believe they lead now. */
  public List<LeaderElector> leaders() {
    return electors.stream().filter(LeaderElector::isLeader).toList();
  }

  /** When {@code identity}'s last term began. */
  public Optional<Long> startedNanos(String identity) {
    return Optional.ofNullable(startedNanos.get(identity));
  }

  /** When {@code identity}'s last term ended. */
  public Optional<Long> stoppedNanos(String identity) {
    return Optional.ofNullable(stoppedNanos.get(identity));
  }

  /** Why {@code identity}'s last term ended. */
  public Optional<StepDownReason> stoppedReason(String identity) {
    return Optional.ofNullable(stoppedReasons.get(identity));
  }

  /** When {@code identity}'s last release (a write holding nobody) was stored. */
  public Optional<Long> releasedNanos(String identity) {
    return Optional.ofNullable(releasedNanos.get(identity));
  }

  /** When {@code identity}'s last successful write (a renew) was stored. */
  public Optional<Long> renewedNanos(String identity) {
    return Optional.ofNullable(renewedNanos.get(identity));
  }

  /** How many get, create and update calls {@code identity}'s lock made. */
  public int calls(String identity) {
    return calls.computeIfAbsent(identity, key -> new AtomicInteger()).get();
  }

  /** The context of {@code identity}'s last term. */
  public LeaderContext context(String identity) {
    return contexts.get(identity);
  }

  /** Closes every elector this started (subclasses then close their locks). */
  @Override
  public void close() {
    electors.forEach(LeaderElector::close);
  }

  /**
   * Counts calls and notes when renewals and releases by {@code identity} were stored, blocking
   * or not (the elector calls the non-blocking methods), before the elector hears of them.
   */
  private final class ObservedLock extends ForwardingLeaseLock {

    private final String identity;

    ObservedLock(LeaseLock delegate, String identity) {
      super(delegate);
      this.identity = identity;
    }

    @Override
    public Optional<LeaderRecord> get() {
      count();
      return super.get();
    }

    @Override
    public LeaderRecord create(LeaderRecord record) {
      count();
      return stored(super.create(record));
    }

    @Override
    public LeaderRecord update(LeaderRecord record) {
      count();
      return stored(super.update(record));
    }

    @Override
    public CompletableFuture<Optional<LeaderRecord>> getAsync() {
      count();
      return super.getAsync();
    }

    @Override
    public CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
      count();
      return storedWhenAnswered(super.createAsync(record));
    }

    @Override
    public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
      count();
      return storedWhenAnswered(super.updateAsync(record));
    }

    private void count() {
      calls.computeIfAbsent(identity, key -> new AtomicInteger()).incrementAndGet();
    }

    /** Notes a write as stored (a renewal, and a release when it holds nobody). */
    private LeaderRecord stored(LeaderRecord stored) {
      renewedNanos.put(identity, System.nanoTime());
      if (!stored.isHeld()) {
        releasedNanos.put(identity, System.nanoTime());
      }
      return stored;
    }

    /** {@code call}'s answer, noted first; cancelling the answer cancels the call. */
    private CompletableFuture<LeaderRecord> storedWhenAnswered(
        CompletableFuture<LeaderRecord> call) {
      CompletableFuture<LeaderRecord> answer = call.thenApply(this::stored);
      answer.whenComplete((ignored, failure) -> {
        if (answer.isCancelled()) {
          call.cancel(true);
        }
      });
      return answer;
    }
  }
}
