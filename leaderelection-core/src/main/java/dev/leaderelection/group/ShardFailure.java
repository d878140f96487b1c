package dev.leaderelection.group;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;
import java.time.Duration;
import java.util.Objects;

/**
 * A shard whose lock keeps failing, as {@link ShardGroup#lockFailure()} reports it: what
 * {@link LeaderElector#lastFailure()} and {@link LeaderElector#failingFor()} tell of an election.
 *
 * @param shard the shard's index
 * @param failure the failure of the shard's last round
 * @param failingFor how long the shard's lock had been failing when asked
 * @since 0.2.0
 */
public record ShardFailure(int shard, LeaseLockException failure, Duration failingFor) {

  public ShardFailure {
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(failingFor, "failingFor");
  }
}
