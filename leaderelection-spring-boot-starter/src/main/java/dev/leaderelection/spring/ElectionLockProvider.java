package dev.leaderelection.spring;

import dev.leaderelection.spi.LeaseLock;
import java.util.Objects;
import java.util.Optional;

/**
 * Gives elections the application's own {@link LeaseLock} instead of the one their properties
 * choose. Define one as a bean; {@link #of(String, LeaseLock)} covers a single election. At most
 * one provider may answer for an election, or startup fails naming it. For the default election a
 * single {@code LeaseLock} bean does the same, unless a provider answers for it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ElectionLockProvider {

  /**
   * @param election the election's name: {@code default}, or its name under
   *     {@code leader-election.elections}
   * @return the lock the election must use, or empty to let its properties choose one
   */
  Optional<LeaseLock> lock(String election);

  /** A provider that answers {@code lock} for {@code election} and nothing for the others. */
  static ElectionLockProvider of(String election, LeaseLock lock) {
    Objects.requireNonNull(election, "election");
    Objects.requireNonNull(lock, "lock");
    return name -> election.equals(name) ? Optional.of(lock) : Optional.empty();
  }
}
