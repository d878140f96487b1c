package dev.leaderelection.internal.election;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.Ticker;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the last failed lock call, and since when the lock has been failing (on the
 * election's ticker), and logs failures once per change of state: the first failure and every
 * different one at WARN, repeats at DEBUG, the recovery at INFO.
 */
final class FailureLog {

  private static final Logger log = LoggerFactory.getLogger(FailureLog.class);

  private final String lockDescription;
  private final Ticker ticker;
  private volatile @Nullable LeaseLockException last;
  private volatile long failingSinceNanos;

  FailureLog(String lockDescription, Ticker ticker) {
    this.lockDescription = lockDescription;
    this.ticker = ticker;
  }

  synchronized void failed(LeaseLockException failure) {
    LeaseLockException previous = last;
    if (previous == null) {
      failingSinceNanos = ticker.read();
    }
    last = failure;
    if (previous == null || !Objects.equals(previous.getMessage(), failure.getMessage())) {
      log.warn("Leader election on {} failed: {}", lockDescription, failure.getMessage());
      log.debug("Leader election failure details", failure);
    } else {
      log.debug("Leader election on {} still failing: {}", lockDescription,
          failure.getMessage());
    }
  }

  synchronized void succeeded() {
    if (last != null) {
      log.info("Leader election on {} can reach its lock again", lockDescription);
      last = null;
    }
  }

  Optional<LeaseLockException> last() {
    return Optional.ofNullable(last);
  }

  /** How long the lock has been failing, from the first failure of this outage; 0 if it is not. */
  synchronized long failingForNanos() {
    return last == null ? 0 : ticker.read() - failingSinceNanos;
  }
}
