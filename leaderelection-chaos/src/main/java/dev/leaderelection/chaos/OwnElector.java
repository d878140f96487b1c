package dev.leaderelection.chaos;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.kubernetes.KubernetesLocks;
import io.kubernetes.client.util.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

/** This library's elector, with its record clock skewed as asked; leads while currentTerm() says. */
final class OwnElector implements ChaosCandidate.Elector {

  private final KubernetesLocks locks;
  private final ChaosCandidate.Arguments arguments;
  private LeaderElector elector;

  OwnElector(ChaosCandidate.Arguments arguments) throws Exception {
    this.arguments = arguments;
    this.locks = KubernetesLocks.create(Config.fromConfig(arguments.kubeconfig()));
  }

  @Override
  public void start(ChaosCandidate.Transitions transitions) {
    LeaseTimings timings = LeaseTimings.of(arguments.leaseDuration(), arguments.renewDeadline(),
        arguments.retryPeriod());
    elector = LeaderElector.builder(locks.lease(arguments.namespace(), arguments.lease(),
            timings.renewDeadline().dividedBy(2)), arguments.identity())
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
    locks.close();
  }
}
