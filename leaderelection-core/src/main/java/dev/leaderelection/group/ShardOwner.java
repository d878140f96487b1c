package dev.leaderelection.group;

import java.util.Objects;

/**
 * The holder of a shard as this replica last observed it, and the fencing token of its term. It
 * may already be out of date; only {@link ShardGroup#term(int)} tells for sure that this replica
 * leads a shard.
 *
 * @param identity the holder's identity
 * @param fencingToken the token of the holder's term
 * @since 0.2.0
 */
public record ShardOwner(String identity, long fencingToken) {

  public ShardOwner {
    Objects.requireNonNull(identity, "identity");
  }
}
