package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.Ordered;

/**
 * Gives every elector an {@link EventPublishingListener}, after the leader-scoped work (which
 * must stop before anyone is told) and before metrics.
 */
final class LeadershipEvents implements ElectionContributor, Ordered {

  static final int ORDER = 0;

  private final ApplicationEventPublisher publisher;
  /** The listener of each election whose elector is being built, until it is attached. */
  private final Map<String, EventPublishingListener> unattached = new ConcurrentHashMap<>();

  LeadershipEvents(ApplicationEventPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void customize(String election, LeaseTimings timings, LeaderElector.Builder builder) {
    EventPublishingListener listener = new EventPublishingListener(election, publisher);
    unattached.put(election, listener);
    builder.listener(listener);
  }

  @Override
  public void built(String election, LeaderElector elector) {
    EventPublishingListener listener = unattached.remove(election);
    if (listener != null) {
      listener.attach(elector);
    }
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
