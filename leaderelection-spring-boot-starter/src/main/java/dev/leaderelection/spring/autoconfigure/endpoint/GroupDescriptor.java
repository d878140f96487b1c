package dev.leaderelection.spring.autoconfigure.endpoint;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.internal.Durations;
import dev.leaderelection.internal.Identities;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import dev.leaderelection.spring.autoconfigure.endpoint.ElectionDescriptor.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.jspecify.annotations.Nullable;

/**
 * One sharded group as the endpoint shows it, as this replica sees it. Members are read from the
 * backend (anyone who may edit it writes them), so each is bounded as in logs unless it is a
 * valid identity. Carries no credentials: a failure is its reason and message.
 *
 * @param name the group's name
 * @param identity this replica's identity
 * @param shards how many shards the group has
 * @param members the live members as this replica last saw them, sorted; empty before the first
 *     view (before the group started, or while its membership has not answered)
 * @param owned the shards this replica owns now, each with its term's fencing token
 * @param fairShare the number of shards this replica aims at ({@code ⌈N/M⌉} or
 *     {@code ⌊N/M⌋}); 0 before it first decided
 * @param balanced whether this replica has seen the members and owns exactly its fair share
 *     ({@link LeaderElections#isBalanced})
 * @param paused whether this replica stands aside ({@link ShardGroup#pause()}): withdrawn from
 *     the members, owning and competing for no shard
 * @param leaseDuration every shard's, as the properties take durations ({@code 15s}), as are
 *     {@code renewDeadline} and {@code retryPeriod}
 * @param lastFailure the lock failure of the shard (among those this replica competes for or
 *     owns) failing longest, while one keeps failing, or null
 * @param membershipFailure why the watch on the members is down, until the next view, or null
 * @param details what the starter adds to the group's health details (such as {@code events},
 *     a problem recording Kubernetes Events); empty when nothing
 * @since 0.2.0
 */
public record GroupDescriptor(String name, String identity, int shards, List<String> members,
    List<OwnedShard> owned, int fairShare, boolean balanced, boolean paused,
    String leaseDuration, String renewDeadline, String retryPeriod,
    @Nullable ShardFailure lastFailure, @Nullable Failure membershipFailure,
    Map<String, Object> details) {

  /**
   * A shard this replica owns.
   *
   * @param fencingToken the token of this replica's term of the shard
   */
  public record OwnedShard(int shard, long fencingToken) {
  }

  /**
   * A shard whose lock keeps failing.
   *
   * @param reason the API's reason (such as {@code Forbidden}), or the kind of failure
   * @param failingFor how long it has been failing, written as the properties take durations
   */
  public record ShardFailure(int shard, String reason, String message, String failingFor) {

    static ShardFailure of(dev.leaderelection.group.ShardFailure failing) {
      Failure failure = Failure.of(failing.failure());
      return new ShardFailure(failing.shard(), failure.reason(), failure.message(),
          Durations.format(failing.failingFor()));
    }
  }

  static GroupDescriptor of(ShardGroup group, Map<String, Object> details) {
    SortedSet<Integer> ownedShards = group.ownedShards();
    List<OwnedShard> owned = new ArrayList<>(ownedShards.size());
    for (int shard : ownedShards) { // a term may end between the two reads: then it is not owned
      group.term(shard).map(LeaderContext::fencingToken)
          .ifPresent(token -> owned.add(new OwnedShard(shard, token)));
    }
    List<String> members = group.members().stream().sorted().map(Identities::shown).toList();
    return new GroupDescriptor(group.name(), group.identity(), group.shards(), members,
        List.copyOf(owned), group.fairShare(), LeaderElections.isBalanced(group),
        group.isPaused(),
        Durations.format(group.timings(0).leaseDuration()),
        Durations.format(group.timings(0).renewDeadline()),
        Durations.format(group.timings(0).retryPeriod()),
        group.lockFailure().map(ShardFailure::of).orElse(null),
        group.membershipFailure().map(Failure::of).orElse(null), Map.copyOf(details));
  }
}
