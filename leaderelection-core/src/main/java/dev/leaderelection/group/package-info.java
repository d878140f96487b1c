/**
 * Groups of sharded elections: {@link dev.leaderelection.group.ShardGroup} spreads {@code N}
 * shards evenly over the live members of a fleet, each shard an ordinary election of its own;
 * {@link dev.leaderelection.group.ShardKeys} routes a key to its shard; the members are known
 * through a {@link dev.leaderelection.spi.GroupMembership}.
 */
@NullMarked
package dev.leaderelection.group;

import org.jspecify.annotations.NullMarked;
