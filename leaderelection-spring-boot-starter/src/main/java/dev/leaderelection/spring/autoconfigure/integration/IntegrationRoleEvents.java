package dev.leaderelection.spring.autoconfigure.integration;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.spring.autoconfigure.ElectionContributor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;

/**
 * Publishes each election's transitions as Spring Integration's {@code OnGrantedEvent} and
 * {@code OnRevokedEvent}, with the election's name as the role, so that Spring Integration's
 * {@code SmartLifecycleRoleController} starts endpoints annotated {@code @Role("<election>")} on
 * the leader only. Published on the elector's callback lane, in order.
 */
final class IntegrationRoleEvents implements ElectionContributor {

  private final ApplicationEventPublisher publisher;
  private final Map<String, ElectionRoleContext> contexts = new ConcurrentHashMap<>();

  IntegrationRoleEvents(ApplicationEventPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void customize(String election, LeaseTimings timings, LeaderElector.Builder builder) {
    builder.listener(new LeadershipListener() {
      @Override
      public void onStartedLeading(LeaderContext context) {
        ElectionRoleContext role = contexts.get(election);
        publisher.publishEvent(new OnGrantedEvent(role, role, election));
      }

      @Override
      public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
        ElectionRoleContext role = contexts.get(election);
        publisher.publishEvent(new OnRevokedEvent(role, role, election));
      }
    });
  }

  @Override
  public void built(String election, LeaderElector elector) {
    contexts.put(election, new ElectionRoleContext(election, elector));
  }
}
