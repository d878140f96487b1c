package dev.leaderelection.internal.election;

import dev.leaderelection.internal.Identities;
import dev.leaderelection.spi.LeaderRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this instance last saw of the record, and since when: the last observation, the highest
 * fencing token seen, and the new-leader notices. A stale read (older than a state already seen)
 * never takes an observation back; a change of the preferred holder alone keeps the time the
 * holder's renewal was first seen, so it never delays the replacement of a dead leader.
 *
 * <p>Not thread-safe: the election calls it holding its own monitor, and flushes the listeners
 * after releasing it. {@link #current()} may be read from any thread.
 */
final class Observations {

  private static final Logger log = LoggerFactory.getLogger(Observations.class);

  private final String identity;
  private final String lock;
  private final FencingTokens tokens;
  private final ListenerDispatcher listeners;
  private volatile @Nullable Observation observed;
  private String reportedLeader = "";

  Observations(String identity, String lock, FencingTokens tokens,
      ListenerDispatcher listeners) {
    this.identity = identity;
    this.lock = lock;
    this.tokens = tokens;
    this.listeners = listeners;
  }

  /** The last observation, or null when nothing was seen or the record was deleted. */
  @Nullable Observation current() {
    return observed;
  }

  /**
   * Records {@code record} as seen at {@code nowNanos}, posting (not delivering) a notice when
   * its holder is new.
   *
   * @return the observation now current
   */
  Observation observe(LeaderRecord record, long nowNanos) {
    Observation previous = observed;
    Observation current;
    if (previous != null && previous.isNewerThan(record)) {
      return previous;
    }
    if (previous != null && previous.isSameVersion(record)) {
      current = previous;
    } else if (previous != null && previous.isSameTerm(record)) {
      current = new Observation(record, previous.observedAtNanos());
    } else {
      current = new Observation(record, nowNanos);
    }
    observed = current;
    tokens.saw(record);
    String holder = record.holderIdentity();
    if (!holder.isEmpty() && !holder.equals(reportedLeader)) {
      reportedLeader = holder;
      if (!holder.equals(identity)) {
        log.info("{} observed a new leader of {}: '{}'", identity, lock,
            Identities.printable(holder));
      }
      listeners.post(ListenerDispatcher.newLeader(holder));
    }
    return current;
  }

  /** The record was deleted, or recreated without its history: the holder seen no longer counts. */
  void forget() {
    observed = null;
  }
}
