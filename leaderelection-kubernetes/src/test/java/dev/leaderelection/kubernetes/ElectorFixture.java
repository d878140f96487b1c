package dev.leaderelection.kubernetes;

import dev.leaderelection.ForwardingLeaseLock;
import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaderRecord;
import dev.leaderelection.LeaseLock;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.StepDownReason;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Electors on one Lease of a real API server, each with its own client, and what happened to
 * them on one monotonic clock: when each term began, ended and why, and when releases were
 * written.
 */
final class ElectorFixture implements AutoCloseable {

  static final LeaseTimings TIMINGS =
      LeaseTimings.of(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500));
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

  private final List<LeaderElector> electors = new ArrayList<>();
  private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();
  private final Map<String, StepDownReason> stoppedReasons = new ConcurrentHashMap<>();
  private final Map<String, Long> stoppedNanos = new ConcurrentHashMap<>();
  private final Map<String, Long> releasedNanos = new ConcurrentHashMap<>();
  private final Map<String, LeaderContext> contexts = new ConcurrentHashMap<>();
  private final Map<ApiClient, KubernetesLocks> locks = new ConcurrentHashMap<>();

  /** Starts an elector for {@code identity} on the given lock. */
  LeaderElector start(String identity, LeaseLock lock,
      UnaryOperator<LeaderElector.Builder> configure) {
    LeaderElector elector = configure.apply(LeaderElector.builder(
            new ReleaseTimingLock(lock, identity), identity)
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

  /** A Lease lock made by this fixture's {@link KubernetesLocks} for {@code client}. */
  LeaseLock lease(ApiClient client, String namespace, String name) {
    return locks(client).lease(namespace, name, REQUEST_TIMEOUT);
  }

  /** The locks of {@code client}, one per client so its locks share watches; closed with this. */
  KubernetesLocks locks(ApiClient client) {
    return locks.computeIfAbsent(client, KubernetesLocks::create);
  }

  List<LeaderElector> leaders() {
    return electors.stream().filter(LeaderElector::isLeader).toList();
  }

  Optional<Long> startedNanos(String identity) {
    return Optional.ofNullable(startedNanos.get(identity));
  }

  Optional<Long> stoppedNanos(String identity) {
    return Optional.ofNullable(stoppedNanos.get(identity));
  }

  Optional<StepDownReason> stoppedReason(String identity) {
    return Optional.ofNullable(stoppedReasons.get(identity));
  }

  Optional<Long> releasedNanos(String identity) {
    return Optional.ofNullable(releasedNanos.get(identity));
  }

  LeaderContext context(String identity) {
    return contexts.get(identity);
  }

  @Override
  public void close() {
    electors.forEach(LeaderElector::close);
    locks.values().forEach(KubernetesLocks::close);
    locks.clear();
  }

  /**
   * Notes when a release (holder "") written by {@code identity} was stored, blocking or not,
   * before the elector hears of it.
   */
  private final class ReleaseTimingLock extends ForwardingLeaseLock {

    private final String identity;

    ReleaseTimingLock(LeaseLock delegate, String identity) {
      super(delegate);
      this.identity = identity;
    }

    @Override
    public LeaderRecord update(LeaderRecord record) {
      return stored(super.update(record));
    }

    @Override
    public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
      CompletableFuture<LeaderRecord> call = super.updateAsync(record);
      CompletableFuture<LeaderRecord> answer = call.thenApply(this::stored);
      answer.whenComplete((ignored, failure) -> {
        if (answer.isCancelled()) {
          call.cancel(true);
        }
      });
      return answer;
    }

    private LeaderRecord stored(LeaderRecord stored) {
      if (!stored.isHeld()) {
        releasedNanos.put(identity, System.nanoTime());
      }
      return stored;
    }
  }
}
