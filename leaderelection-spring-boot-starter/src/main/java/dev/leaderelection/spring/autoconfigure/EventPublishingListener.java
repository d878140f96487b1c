package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spring.LeaderChangedEvent;
import dev.leaderelection.spring.LeadershipAcquiredEvent;
import dev.leaderelection.spring.LeadershipLostEvent;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes an election's transitions as Spring events. Runs on the elector's callback lane, so
 * events of one election arrive in order and never on the thread that renews the lease.
 */
final class EventPublishingListener implements LeadershipListener {

  private final String election;
  private final ApplicationEventPublisher publisher;
  private final AtomicReference<LeaderElector> elector = new AtomicReference<>();

  EventPublishingListener(String election, ApplicationEventPublisher publisher) {
    this.election = election;
    this.publisher = publisher;
  }

  /** Attaches the elector this listener reports for; the source of every event. */
  void attach(LeaderElector source) {
    elector.set(source);
  }

  @Override
  public void onStartedLeading(LeaderContext context) {
    publisher.publishEvent(new LeadershipAcquiredEvent(elector.get(), election,
        context.identity(), context.fencingToken()));
  }

  @Override
  public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
    LeaderElector source = elector.get();
    publisher.publishEvent(new LeadershipLostEvent(source, election, context.identity(),
        source.leader().orElse(null), context.fencingToken(), reason));
  }

  @Override
  public void onNewLeader(String identity) {
    LeaderElector source = elector.get();
    long token = source.observedRecord().map(LeaderRecord::leaseTransitions).orElse(0);
    publisher.publishEvent(new LeaderChangedEvent(source, election, source.identity(), identity,
        token));
  }
}
