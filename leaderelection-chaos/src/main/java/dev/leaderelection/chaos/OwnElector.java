package dev.leaderelection.chaos;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.etcd.EtcdLeaseLock;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * This library's elector on a Lease or on an etcd key, with its record clock skewed as asked;
 * leads while currentTerm() says. The harness controls it ({@link ControlChannel}): yields,
 * pauses and resumes, and how long its leader work takes to stop.
 */
final class OwnElector implements ChaosCandidate.Elector, ControlChannel.Controls {

  private final ChaosCandidate.Arguments arguments;
  private final LeaseLock lock;
  private final AutoCloseable owner;
  private final ApiClient client;
  private final Clock clock;
  private volatile LeaderElector elector;
  private volatile Duration stopWork = Duration.ZERO;
  /** When the harness last paused this elector (after pause() returned), on its record clock. */
  private volatile Instant pausedAt;
  /** When the harness last resumed it (before resume() was called); null while paused. */
  private volatile Instant resumedAt;

  /** @param client the Kubernetes client the lock calls go through; null on etcd */
  private OwnElector(ChaosCandidate.Arguments arguments, LeaseLock lock, AutoCloseable owner,
      ApiClient client) {
    this.arguments = arguments;
    this.lock = lock;
    this.owner = owner;
    this.client = client;
    this.clock = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(arguments.skewSeconds()));
  }

  /** On a Lease, through the kubeconfig of the arguments' server. */
  static OwnElector onKubernetes(ChaosCandidate.Arguments arguments) throws Exception {
    ApiClient client = Config.fromConfig(arguments.server());
    KubernetesLocks locks = KubernetesLocks.create(client);
    return new OwnElector(arguments, locks.lease(arguments.namespace(), arguments.lease(),
        arguments.renewDeadline().dividedBy(2)), locks, client);
  }

  /** On an etcd key, at the arguments' server (an endpoint, or several separated by commas). */
  static OwnElector onEtcd(ChaosCandidate.Arguments arguments) {
    EtcdLeaseLock lock = EtcdLeaseLock.builder(arguments.lease())
        .endpoints(arguments.server().split(","))
        .requestTimeout(arguments.renewDeadline().dividedBy(2)).build();
    return new OwnElector(arguments, lock, lock, null);
  }

  /** The application's traffic on the {@code ApiClient} the Lease lock was made with. */
  @Override
  public ApplicationTraffic traffic() {
    if (client == null) {
      throw new UnsupportedOperationException("no application traffic on etcd");
    }
    return new ApiClientTraffic(client, arguments.namespace());
  }

  @Override
  public void start(ChaosCandidate.Transitions transitions) {
    LeaseTimings timings = LeaseTimings.of(arguments.leaseDuration(), arguments.renewDeadline(),
        arguments.retryPeriod());
    elector = LeaderElector.builder(lock, arguments.identity())
        .timings(timings)
        .clock(clock)
        .listener(new LeadershipListener() {
          @Override
          public void onStartedLeading(LeaderContext context) {
            transitions.began(context.fencingToken(),
                begunNanos(context, clock, System.nanoTime()),
                begunWhilePaused(context.acquiredAt()));
          }

          @Override
          public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
            transitions.ended(context.fencingToken(), reason.name());
            ChaosCandidate.sleep(stopWork);
          }
        })
        .build();
    elector.start();
  }

  @Override
  public OptionalLong leadingToken() {
    return elector.currentTerm().map(term -> OptionalLong.of(term.fencingToken()))
        .orElse(OptionalLong.empty());
  }

  @Override
  public void yield(Duration backOff) {
    elector.yield(backOff);
  }

  @Override
  public void pause() {
    elector.pause();
    pausedAt = clock.instant();
    resumedAt = null;
  }

  @Override
  public void resume() {
    resumedAt = clock.instant();
    elector.resume();
  }

  /**
   * When {@code term} began, on the monotonic clock that read {@code nowNanos} now: its
   * {@link LeaderContext#acquiredAt()} (the moment the elector began it, on the elector's record
   * clock {@code clock}) moved onto that clock. Not the moment its listener runs: listeners run
   * one at a time, in order, so a term's {@code onStartedLeading} waits for the previous term's
   * {@code onStoppedLeading} (up to the renew deadline under {@code slow-stop}), and a SIGSTOP
   * in between holds it for the whole pause. Stamped when printed, a term begun before a pause
   * was reported after the next candidate's term, whose token is larger: a token regression by
   * report time that never was one by write order (token-regression-30).
   */
  static long begunNanos(LeaderContext term, Clock clock, long nowNanos) {
    long sinceBegun = Duration.between(term.acquiredAt(), clock.instant()).toNanos();
    return nowNanos - Math.max(0, sinceBegun);
  }

  /** Whether a term that began at {@code begun} began inside the last pause the harness asked. */
  private boolean begunWhilePaused(Instant begun) {
    Instant paused = pausedAt;
    Instant resumed = resumedAt;
    return paused != null && begun.isAfter(paused) && (resumed == null || begun.isBefore(resumed));
  }

  @Override
  public void stopWork(Duration stopping) {
    stopWork = stopping;
  }

  @Override
  public void close() {
    if (elector != null) {
      elector.close();
    }
    try {
      owner.close();
    } catch (Exception e) {
      // closing on exit
    }
  }
}
