package dev.leaderelection.kubernetes.members;

import dev.leaderelection.Ticker;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
 * <p>Pure: time comes from the ticker. Not thread-safe: one membership watch's thread uses it.
 */
final class LiveMembers {

  /** One member Lease as last observed to change. */
  private record Observed(String identity, long durationNanos, String resourceVersion,
      long changedNanos) {
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

  /** Nanoseconds from now until the next live member expires, unless it changes; empty if none. */
  OptionalLong nanosUntilNextExpiry() {
    long now = ticker.read();
    return byName.values().stream().filter(member -> isLive(member, now))
        .mapToLong(member -> member.changedNanos() + member.durationNanos() - now).min();
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
