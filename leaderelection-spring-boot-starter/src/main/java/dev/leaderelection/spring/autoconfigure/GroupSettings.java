package dev.leaderelection.spring.autoconfigure;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * One sharded group's resolved and validated settings: how many shards, and the settings its
 * shards share, as an election's ({@code settings.leaseName()} is the group's name; shard
 * {@code i} is held on the lock {@link #lockName(String, int) <group>-i}).
 */
record GroupSettings(String name, int shards, ElectionSettings settings) {

  /** The bean name of a group's {@code ShardGroup}, as docs/spring-boot.md documents it. */
  static String beanName(String group) {
    return group + "ShardGroup";
  }

  /** The name of the lock (Lease, ConfigMap, etcd key) of one shard of {@code group}. */
  static String lockName(String group, int shard) {
    return group + "-" + shard;
  }

  /** The settings of one shard's lock: the group's, with the shard's lock name. */
  ElectionSettings shard(int shard) {
    ElectionSettings group = settings;
    String lockName = lockName(name, shard);
    return new ElectionSettings(group.name(), lockName, group.namespace(), group.timings(),
        group.releaseOnShutdown(), group.lock(), group.priority(), group.events(), null, lockName,
        group.identity(), null, group.properties());
  }

  /**
   * The group's {@code shards} property.
   *
   * @throws InvalidLeaderElectionPropertyException when it is missing or below 1
   */
  static int shards(ElectionProperties bound, Environment environment) {
    String property = bound.prefix() + ".shards";
    Integer shards = Binder.get(environment).bind(property, Integer.class).orElse(null);
    if (shards == null) {
      throw new InvalidLeaderElectionPropertyException(property, null, "must be set: a group "
          + "needs to know how many shards it has, the same in every replica",
          "set it to the number of shards, such as " + property + "=64");
    }
    if (shards < 1) {
      throw new InvalidLeaderElectionPropertyException(property, Integer.toString(shards),
          "must be at least 1", "set it to the number of shards, such as 64");
    }
    return shards;
  }
}
