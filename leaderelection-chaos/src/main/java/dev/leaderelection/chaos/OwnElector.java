package dev.leaderelection.chaos;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseLock;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.etcd.EtcdLeaseLock;
import dev.leaderelection.kubernetes.KubernetesLocks;
import io.kubernetes.client.util.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * This library's elector on a Lease or on an etcd key, with its record clock skewed as asked;
 * leads while currentTerm() says.
 */
final class OwnElector implements ChaosCandidate.Elector {

  private final ChaosCandidate.Arguments arguments;
  private final LeaseLock lock;
  private final AutoCloseable owner;
  private LeaderElector elector;

  private OwnElector(ChaosCandidate.Arguments arguments, LeaseLock lock, AutoCloseable owner) {
    this.arguments = arguments;
    this.lock = lock;
    this.owner = owner;
  }

  /** On a Lease, through the kubeconfig of the arguments' server. */
  static OwnElector onKubernetes(ChaosCandidate.Arguments arguments) throws Exception {
    KubernetesLocks locks = KubernetesLocks.create(Config.fromConfig(arguments.server()));
    return new OwnElector(arguments, locks.lease(arguments.namespace(), arguments.lease(),
        arguments.renewDeadline().dividedBy(2)), locks);
  }

  /** On an etcd key, at the arguments' server (an endpoint). */
  static OwnElector onEtcd(ChaosCandidate.Arguments arguments) {
    EtcdLeaseLock lock = EtcdLeaseLock.builder(arguments.lease()).endpoints(arguments.server())
        .requestTimeout(arguments.renewDeadline().dividedBy(2)).build();
    return new OwnElector(arguments, lock, lock);
  }

  @Override
  public void start(ChaosCandidate.Transitions transitions) {
    LeaseTimings timings = LeaseTimings.of(arguments.leaseDuration(), arguments.renewDeadline(),
        arguments.retryPeriod());
    elector = LeaderElector.builder(lock, arguments.identity())
        .timings(timings)
        .clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(arguments.skewSeconds())))
        .listener(new LeadershipListener() {
          @Override
          public void onStartedLeading(LeaderContext context) {
            transitions.began(context.fencingToken());
          }

          @Override
          public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
            transitions.ended(context.fencingToken(), reason.name());
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
