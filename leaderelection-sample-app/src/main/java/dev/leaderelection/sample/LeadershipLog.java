package dev.leaderelection.sample;

import dev.leaderelection.spring.LeaderChangedEvent;
import dev.leaderelection.spring.LeadershipAcquiredEvent;
import dev.leaderelection.spring.LeadershipLostEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** One INFO line per transition, so the election reads well in the logs. */
@Component
class LeadershipLog {

  private static final Logger log = LoggerFactory.getLogger(LeadershipLog.class);

  @EventListener
  void acquired(LeadershipAcquiredEvent event) {
    log.info("LEADER: {} leads election '{}' (fencing token {})", event.identity(),
        event.election(), event.fencingToken());
  }

  @EventListener
  void lost(LeadershipLostEvent event) {
    log.info("FOLLOWER: {} stopped leading election '{}' ({})", event.identity(),
        event.election(), event.reason());
  }

  @EventListener
  void changed(LeaderChangedEvent event) {
    if (!event.leader().orElse("").equals(event.identity())) {
      log.info("Leader of election '{}' is now {}", event.election(),
          event.leader().orElse("nobody"));
    }
  }
}
