package dev.leaderelection.spring.autoconfigure.health;

import static dev.leaderelection.internal.Durations.format;

import dev.leaderelection.group.ShardFailure;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.internal.Identities;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one sharded group as this replica sees it, under the election indicator's
 * contract: UP while the group's lock calls answer, with its {@code identity}, {@code shards},
 * {@code members} (sorted; identities read from the backend are bounded), {@code owned} (how many
 * shards this replica owns), {@code fairShare}, {@code balanced} and {@code paused}. DOWN only
 * when the lock of a shard this replica owns or competes for has failed for longer than the
 * failure tolerance (the group's renew deadline by default), with {@code shard},
 * {@code error}, {@code failingFor} and the lock's
 * {@link dev.leaderelection.LeaseLockException#details()}; within the tolerance UP with the same
 * details. How many shards it owns never changes the status: a replica that owns none (before its
 * first view of the members, while it waits for readiness or stands aside, or with more members
 * than shards) is as healthy as one that owns its share, and balance is a detail, not a state.
 * A membership watch that is down is shown as {@code membership} and leaves the status UP: the
 * group decides on its last view and the backend reconnects by itself, which costs balance,
 * never safety, and a backend that is really gone fails the shards' lock calls too. Details
 * carry no credentials.
 */
final class ShardGroupHealthIndicator implements HealthIndicator {

  private final Supplier<ShardGroup> group;
  private final @Nullable Duration failureTolerance;
  private final Supplier<Map<String, Object>> details;

  /**
   * @param failureTolerance null for the group's renew deadline
   * @param details what the starter's contributors add, such as a problem recording Events
   */
  ShardGroupHealthIndicator(Supplier<ShardGroup> group, @Nullable Duration failureTolerance,
      Supplier<Map<String, Object>> details) {
    this.group = group;
    this.failureTolerance = failureTolerance;
    this.details = details;
  }

  @Override
  public Health health() {
    ShardGroup current = group.get();
    Health.Builder health = Health.up()
        .withDetail("identity", current.identity())
        .withDetail("shards", current.shards())
        .withDetail("members", current.members().stream().sorted().map(Identities::shown)
            .toList())
        .withDetail("owned", current.ownedShards().size())
        .withDetail("fairShare", current.fairShare())
        .withDetail("balanced", LeaderElections.isBalanced(current))
        .withDetail("paused", current.isPaused())
        .withDetails(details.get());
    current.membershipFailure().ifPresent(failure -> health.withDetail("membership",
        "watch down, deciding on the last view of the members (" + failure.getMessage() + ")"));
    Optional<ShardFailure> failing = current.lockFailure();
    if (failing.isPresent()) {
      ShardFailure failure = failing.get();
      // the starter gives every shard the group's timings
      Duration tolerance = failureTolerance != null ? failureTolerance
          : current.timings(0).renewDeadline();
      if (failure.failingFor().compareTo(tolerance) >= 0) {
        health.down();
      }
      health.withDetail("shard", failure.shard())
          .withDetail("error", String.valueOf(failure.failure().getMessage()))
          .withDetail("failingFor", format(failure.failingFor()))
          .withDetails(failure.failure().details());
    }
    return health.build();
  }
}
