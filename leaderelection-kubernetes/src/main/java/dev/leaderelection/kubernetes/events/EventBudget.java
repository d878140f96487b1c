package dev.leaderelection.kubernetes.events;

import dev.leaderelection.Ticker;
import java.time.Duration;

/**
 * How many Events one election may still record: a burst, then one per refill interval, as
 * client-go's event spam filter allows per object (25, then one every 5 minutes), so a flapping
 * election cannot flood the API server. Thread-safe.
 */
final class EventBudget {

  static final int BURST = 25;
  static final Duration REFILL = Duration.ofMinutes(5);

  private final Ticker ticker;
  private double tokens = BURST;
  private long refilledAt;

  EventBudget(Ticker ticker) {
    this.ticker = ticker;
    this.refilledAt = ticker.read();
  }

  /** Takes one event from the budget; false when it is spent. */
  synchronized boolean tryTake() {
    long now = ticker.read();
    tokens = Math.min(BURST, tokens + (double) (now - refilledAt) / REFILL.toNanos());
    refilledAt = now;
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }
}
