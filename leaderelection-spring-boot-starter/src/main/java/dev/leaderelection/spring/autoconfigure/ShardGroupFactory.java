package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.LeaseLock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Builds one {@link ShardGroup} per group from its settings: a lock per shard
 * ({@code <group>-<shard>}) and the membership, both from the backend its {@code lock} property
 * names (through {@link ElectionLocks}, as elections' locks are made), this process's identity,
 * the elections' shared threads, the {@link GroupContributor}s' locks and listeners (the guard's
 * wait for calls in flight, the Kubernetes Events) and then a {@link ShardEventPublisher}.
 */
final class ShardGroupFactory {

  private final ElectionSettingsResolver settings;
  private final ElectionLocks locks;
  private final ElectionThreads threads;
  private final ApplicationEventPublisher publisher;
  private final List<GroupContributor> contributors;
  private final List<ShardGroup> created = new CopyOnWriteArrayList<>();

  ShardGroupFactory(ElectionSettingsResolver settings, ElectionLocks locks,
      ElectionThreads threads, ApplicationEventPublisher publisher,
      List<GroupContributor> contributors) {
    this.contributors = List.copyOf(contributors);
    this.settings = settings;
    this.locks = locks;
    this.threads = threads;
    this.publisher = publisher;
  }

  /** Builds the group {@code name}; it starts with the application context. */
  ShardGroup create(String name) {
    GroupSettings group = settings.resolveGroup(name);
    ElectionSettings shared = group.settings();
    List<LeaseLock> shardLocks = IntStream.range(0, group.shards())
        .mapToObj(shard -> contributed(name, shard, locks.createShard(group.shard(shard))))
        .toList();
    GroupMembership membership = locks.membership(group);
    ShardEventPublisher events = new ShardEventPublisher(name, publisher);
    ShardGroup.Builder builder = ShardGroup.builder(name, group.shards(), shardLocks::get,
            membership, shared.identity())
        .threads(threads)
        .electorCustomizer((shard, elector) -> elector.timings(shared.timings()));
    contributors.forEach(contributor ->
        builder.listener(contributor.listener(name, shared.timings())));
    ShardGroup built = builder.listener(events).build();
    events.attach(built);
    created.add(built);
    return built;
  }

  private LeaseLock contributed(String group, int shard, LeaseLock lock) {
    LeaseLock contributed = lock;
    for (GroupContributor contributor : contributors) {
      contributed = contributor.lock(group, shard, contributed);
    }
    return contributed;
  }

  /** The groups this factory built, which the lifecycle starts and closes. */
  List<ShardGroup> created() {
    return List.copyOf(created);
  }
}
