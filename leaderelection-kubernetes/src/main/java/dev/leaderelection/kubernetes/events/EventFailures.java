package dev.leaderelection.kubernetes.events;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why Events could not be recorded, for one election or for all the shards of one group: each
 * explanation is logged once while it lasts (a refusal of every shard of a group is one warning,
 * not one per shard), and the last one is the {@link #problem()} until an Event is recorded
 * again. Thread-safe.
 */
final class EventFailures {

  private static final Logger log = LoggerFactory.getLogger(TransitionEvents.class);

  private volatile @Nullable String problem;
  private @Nullable String logged;

  /** An Event was recorded: no problem now. */
  void recorded() {
    problem = null;
  }

  /** An Event could not be recorded; logged at warn unless it was the last one logged. */
  synchronized void failed(String explanation) {
    problem = explanation;
    if (!explanation.equals(logged)) {
      logged = explanation;
      log.warn(explanation);
    } else {
      log.debug(explanation);
    }
  }

  Optional<String> problem() {
    return Optional.ofNullable(problem);
  }
}
