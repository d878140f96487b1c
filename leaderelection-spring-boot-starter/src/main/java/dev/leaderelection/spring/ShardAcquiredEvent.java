package dev.leaderelection.spring;

/**
 * This instance began a term as owner of a shard; start the shard's work, and guard its external
 * writes with {@link #fencingToken()}.
 *
 * @since 0.2.0
 */
public final class ShardAcquiredEvent extends ShardEvent {

  /** Creates the event; published by the starter. */
  public ShardAcquiredEvent(Object source, String group, int shard, String identity,
      long fencingToken) {
    super(source, group, shard, identity, fencingToken);
  }
}
