package dev.leaderelection;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a leader's record renewed by someone else under this elector's identity: two
 * processes configured with one identity both believe they lead. Says so at ERROR, at most once
 * a minute. A write of this elector whose answer was lost is not mistaken for another's: every
 * claim sent since the last confirmed write is remembered. Renew times are compared at the
 * precision the lock stored (microseconds for the Kubernetes locks). Thread-safe.
 */
final class SharedIdentityCheck {

  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

  private final String identity;
  private final String lock;
  private final LogThrottle throttle;
  private final Set<Instant> unconfirmed = new HashSet<>();
  private @Nullable LeaderRecord confirmed;

  SharedIdentityCheck(String identity, String lock, Ticker ticker) {
    this.identity = identity;
    this.lock = lock;
    this.throttle = new LogThrottle(ticker, Duration.ofMinutes(1));
  }

  /** A claim (acquire, renew or release) is about to be written. */
  synchronized void sending(LeaderRecord claim) {
    if (claim.renewTime() != null) {
      unconfirmed.add(claim.renewTime());
    }
  }

  /** A claim of this elector was stored as {@code stored}. */
  synchronized void confirmed(LeaderRecord stored) {
    confirmed = stored;
    unconfirmed.clear();
  }

  /** While leading, {@code current} holds this identity: was it written by this elector? */
  void check(LeaderRecord current) {
    synchronized (this) {
      LeaderRecord written = confirmed;
      Instant renewed = current.renewTime();
      if (written == null || renewed == null
          || Objects.equals(current.version(), written.version())
          || renewed.equals(written.renewTime())
          || unconfirmed.stream().anyMatch(sent -> storedAs(sent, renewed))) {
        return;
      }
    }
    if (!throttle.allow()) {
      return;
    }
    log.error("{} was renewed by another process under this instance's identity '{}': both "
        + "believe they lead. Give every instance a unique identity.", lock, identity);
  }

  /** Whether {@code stored} is {@code sent} as a lock storing the precision it shows keeps it. */
  private static boolean storedAs(Instant sent, Instant stored) {
    int nanos = stored.getNano();
    ChronoUnit precision = nanos == 0 ? ChronoUnit.SECONDS
        : nanos % 1_000_000 == 0 ? ChronoUnit.MILLIS
        : nanos % 1_000 == 0 ? ChronoUnit.MICROS : ChronoUnit.NANOS;
    return sent.truncatedTo(precision).equals(stored);
  }
}
