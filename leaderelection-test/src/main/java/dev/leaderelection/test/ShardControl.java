package dev.leaderelection.test;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.group.ShardOwner;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spring.ShardAcquiredEvent;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Grants and revokes the shards of sharded groups for {@link LeadershipControl}, through each
 * shard's real election on its in-memory lock ({@link InMemoryGroups}). A revoke asks this
 * instance to hand the shard over to {@link LeadershipControl#OTHER_INSTANCE}, as a candidate of
 * higher priority would: the shard's work stops, its {@code ShardLostEvent} is published, the
 * lease is released, and the other instance takes it for an hour. A grant frees the lease, so this
 * instance, which competes for every shard it lacks, takes it at once. Thread-safe; one change at
 * a time.
 */
final class ShardControl implements ApplicationListener<ShardAcquiredEvent>, Ordered {

  private static final PreferredHolder OTHER_PREFERRED =
      new PreferredHolder(LeadershipControl.OTHER_INSTANCE, Integer.MAX_VALUE);

  private final LeaderElections elections;
  private final InMemoryGroups locks;
  private final Map<String, Long> acquiredTokens = new ConcurrentHashMap<>();

  ShardControl(LeaderElections elections, InMemoryGroups locks) {
    this.elections = elections;
    this.locks = locks;
  }

  synchronized void grant(String groupName, int shard) {
    ShardGroup group = group(groupName, shard);
    InMemoryLeaseLock lock = locks.shard(groupName, shard);
    String what = "shard " + shard + " of group " + groupName;
    OtherInstance.await(what + " freed", () -> OtherInstance.free(lock, group.identity()));
    OtherInstance.await(what + " granted", () -> group.term(shard)
        .map(LeaderContext::fencingToken)
        .filter(token -> token.equals(acquiredTokens.get(key(groupName, shard)))).isPresent());
  }

  synchronized void revoke(String groupName, int shard) {
    ShardGroup group = group(groupName, shard);
    InMemoryLeaseLock lock = locks.shard(groupName, shard);
    String what = "shard " + shard + " of group " + groupName;
    OtherInstance.await(what + " handed over", () -> handOver(lock, group.identity()));
    OtherInstance.await(what + " revoked", () -> !group.owns(shard) && group.owner(shard)
        .map(ShardOwner::identity).filter(LeadershipControl.OTHER_INSTANCE::equals).isPresent());
  }

  /** The number of shards of {@code groupName}. */
  int shards(String groupName) {
    return elections.group(groupName).shards();
  }

  /**
   * One step of a revoke: while this instance holds the shard, asks it to hand over (it stops the
   * shard's work, then releases); once it does not, the other instance takes the shard.
   *
   * @return whether the other instance holds the shard
   */
  private static boolean handOver(InMemoryLeaseLock lock, String self) {
    Optional<LeaderRecord> current = lock.get();
    if (current.isPresent() && current.get().holderIdentity().equals(self)) {
      LeaderRecord held = current.get();
      if (!OTHER_PREFERRED.equals(held.preferredHolder())) {
        OtherInstance.write(lock, true, held.toBuilder().preferredHolder(OTHER_PREFERRED).build());
      }
      return false;
    }
    return current.filter(record -> record.holderIdentity()
        .equals(LeadershipControl.OTHER_INSTANCE)).isPresent()
        || OtherInstance.take(lock, current);
  }

  @Override
  public void onApplicationEvent(ShardAcquiredEvent event) {
    acquiredTokens.put(key(event.group(), event.shard()), event.fencingToken());
  }

  /** After every other listener, so a grant returns once they all have seen the event. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  private ShardGroup group(String name, int shard) {
    ShardGroup group = elections.group(Objects.requireNonNull(name, "group"));
    if (shard < 0 || shard >= group.shards()) {
      throw new IllegalArgumentException("Group '" + name + "' has shards 0 to "
          + (group.shards() - 1) + ", not " + shard);
    }
    return group;
  }

  private static String key(String group, int shard) {
    return group + "/" + shard;
  }
}
