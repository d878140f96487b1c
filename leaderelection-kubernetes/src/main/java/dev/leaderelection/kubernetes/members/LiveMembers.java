package dev.leaderelection.kubernetes.members;

import dev.leaderelection.Ticker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which members of a group are live, judged as the election judges a lease: a member is live
 * while its Lease changed (a new resourceVersion) within the Lease's own duration, measured on
 * this replica's {@link Ticker} from the moment this replica observed the change, never from the
 * {@code renewTime} another process wrote, so clock skew cannot matter. A deleted Lease leaves at
 * once; a Lease that stopped changing expires; an expired Lease that changes again is live again.
 * The same resourceVersion seen twice (a list after a reconnect) is no renewal, nor is one older
 * than the last seen, when both are numbers as the API server's are.
 *
 * <p>A Lease unchanged for {@value #ABANDONED_AFTER_DURATIONS} of its durations was left by a
 * member that died: it is {@linkplain #abandoned() handed out} once, to be deleted (guarded by
 * its resourceVersion, so that a renewal meanwhile wins), and forgotten here.
 *
 * <p>Pure: time comes from the ticker. Not thread-safe: one membership watch's thread uses it.
 */
final class LiveMembers {

  /** One member Lease as last observed to change. */
  private record Observed(String identity, long durationNanos, String resourceVersion,
      long changedNanos) {
  }

  /** How many of its durations a Lease stays unchanged before it counts as abandoned. */
  static final int ABANDONED_AFTER_DURATIONS = 10;

  /** A Lease left by a member that died, at the version last seen. */
  record Abandoned(String name, String resourceVersion) {
  }

  private final Ticker ticker;
  private final Map<String, Observed> byName = new HashMap<>();
  private @Nullable Set<String> delivered;
  private boolean deliverAgain;

  LiveMembers(Ticker ticker) {
    this.ticker = ticker;
  }

  /** A member Lease was listed or watched. */
  void observed(MemberLease lease) {
    Observed known = byName.get(lease.name());
    if (known != null && !isNewer(lease.resourceVersion(), known.resourceVersion())) {
      return; // a duplicate or a stale event: not a renewal
    }
    byName.put(lease.name(), new Observed(lease.identity(), lease.duration().toNanos(),
        lease.resourceVersion(), ticker.read()));
  }

  /** The Lease named {@code name} was deleted, or no longer announces a member of the group. */
  void deleted(String name) {
    byName.remove(name);
  }

  /**
   * A fresh list of every member Lease: those it lacks were deleted meanwhile, the others are
   * observed, and the next {@link #view()} is delivered even if it is the same as the last.
   */
  void listed(Collection<MemberLease> leases) {
    Set<String> names = new HashSet<>();
    leases.forEach(lease -> names.add(lease.name()));
    byName.keySet().retainAll(names);
    leases.forEach(this::observed);
    deliverAgain = true;
  }

  /** The identities live now. */
  Set<String> live() {
    long now = ticker.read();
    Set<String> live = new HashSet<>();
    byName.values().stream().filter(member -> isLive(member, now))
        .forEach(member -> live.add(member.identity()));
    return Set.copyOf(live);
  }

  /**
   * The live set when it is to be delivered: it differs from the one this last returned, or a
   * fresh list came since; otherwise null.
   */
  @Nullable Set<String> view() {
    Set<String> live = live();
    if (live.equals(delivered) && !deliverAgain) {
      return null;
    }
    delivered = live;
    deliverAgain = false;
    return live;
  }

  /**
   * The Leases unchanged for {@value #ABANDONED_AFTER_DURATIONS} of their durations, forgotten
   * here as they are returned: their members died long ago, and their Leases are to be deleted.
   */
  List<Abandoned> abandoned() {
    long now = ticker.read();
    List<Abandoned> abandoned = new ArrayList<>();
    byName.entrySet().removeIf(entry -> {
      boolean old = nanosUntilAbandoned(entry.getValue(), now) <= 0;
      if (old) {
        abandoned.add(new Abandoned(entry.getKey(), entry.getValue().resourceVersion()));
      }
      return old;
    });
    return abandoned;
  }

  /**
   * Nanoseconds from now until the next change that no event brings: a live member expiring, or
   * an expired one's Lease counting as abandoned; empty when no Lease is known.
   */
  OptionalLong nanosUntilNextChange() {
    long now = ticker.read();
    return byName.values().stream().mapToLong(member -> isLive(member, now)
        ? member.durationNanos() - (now - member.changedNanos())
        : Math.max(0, nanosUntilAbandoned(member, now))).min();
  }

  private static long nanosUntilAbandoned(Observed member, long now) {
    long limit = member.durationNanos() > Long.MAX_VALUE / ABANDONED_AFTER_DURATIONS
        ? Long.MAX_VALUE : member.durationNanos() * ABANDONED_AFTER_DURATIONS;
    return limit - (now - member.changedNanos());
  }

  private static boolean isLive(Observed member, long now) {
    return now - member.changedNanos() < member.durationNanos();
  }

  /** Whether {@code seen} is a renewal after {@code known}: another, and not an older number. */
  private static boolean isNewer(String seen, String known) {
    if (seen.equals(known)) {
      return false;
    }
    try {
      return Long.parseLong(seen) > Long.parseLong(known);
    } catch (NumberFormatException opaque) {
      return true;
    }
  }
}
