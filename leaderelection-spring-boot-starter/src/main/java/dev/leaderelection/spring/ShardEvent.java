package dev.leaderelection.spring;

import org.springframework.context.ApplicationEvent;

/**
 * A change of one shard of a sharded group ({@code leader-election.groups.<name>}) in this
 * instance, published as a Spring application event, never on the thread that renews the shard's
 * lease. Events of one shard arrive in order, acquired before lost for each term; events of
 * different shards may arrive concurrently. The source is the group's
 * {@link dev.leaderelection.group.ShardGroup}.
 *
 * @since 0.2.0
 */
public abstract sealed class ShardEvent extends ApplicationEvent
    permits ShardAcquiredEvent, ShardLostEvent {

  private final String group;
  private final int shard;
  private final String identity;
  private final long fencingToken;

  ShardEvent(Object source, String group, int shard, String identity, long fencingToken) {
    super(source);
    this.group = group;
    this.shard = shard;
    this.identity = identity;
    this.fencingToken = fencingToken;
  }

  /** The group's name under {@code leader-election.groups}. */
  public String group() {
    return group;
  }

  /** The shard, from 0 to the group's shards − 1. */
  public int shard() {
    return shard;
  }

  /** This instance's identity. */
  public String identity() {
    return identity;
  }

  /**
   * The fencing token of this instance's term of the shard: strictly larger for every new term
   * of the shard.
   */
  public long fencingToken() {
    return fencingToken;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[group=" + group + ", shard=" + shard + ", identity="
        + identity + ", fencingToken=" + fencingToken + "]";
  }
}
