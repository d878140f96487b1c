package dev.leaderelection.group;

import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.MembershipListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's presence in its group's membership: the announcement that makes it a member, which
 * it withdraws while it stands aside, and its watch on the members. Not thread-safe: its group
 * calls it under its own monitor.
 */
final class Presence {

  private static final Logger log = LoggerFactory.getLogger(Presence.class);

  private final GroupMembership membership;
  private final String identity;
  private @Nullable AutoCloseable announcement;
  private @Nullable AutoCloseable watch;

  Presence(GroupMembership membership, String identity) {
    this.membership = membership;
    this.identity = identity;
  }

  /** Joins the membership, unless this replica is a member already. */
  void announce() {
    if (announcement == null) {
      announcement = membership.join(identity);
    }
  }

  /** Leaves the membership (blocking at most its request timeout), if a member. */
  void withdraw() {
    if (announcement != null) {
      closeQuietly(announcement);
      announcement = null;
    }
  }

  /** Watches the members until {@link #close()}. */
  void watch(MembershipListener listener) {
    watch = membership.watch(listener);
  }

  /** Withdraws first, so the others start competing for this replica's shards, then unwatches. */
  void close() {
    withdraw();
    if (watch != null) {
      closeQuietly(watch);
      watch = null;
    }
  }

  private void closeQuietly(AutoCloseable handle) {
    try {
      handle.close();
    } catch (Exception e) {
      log.warn("{} could not leave {} cleanly", identity, membership.describe(), e);
    }
  }
}
