package dev.leaderelection.internal.election;

import dev.leaderelection.spi.Candidacy;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import org.jspecify.annotations.Nullable;

/**
 * This instance as a candidate: the rules that compare a record's holder and preferred holder
 * with its identity and priority. A {@code coordinated} candidate leaves the choice to a
 * coordinator ({@link Candidacy}): it takes only a record that names it and defers to any
 * preferred holder, whatever its priority. Pure functions.
 */
record Candidate(String identity, int priority, boolean coordinated) {

  Candidate(ElectionConfig config) {
    this(config.identity(), config.priority(), config.candidacy() != null);
  }

  /** Whether this instance holds {@code record}. */
  boolean holds(LeaderRecord record) {
    return identity.equals(record.holderIdentity());
  }

  /** Whether {@code record} prefers another candidate of higher priority than this one. */
  boolean mustDeferTo(LeaderRecord record) {
    PreferredHolder preferred = record.preferredHolder();
    return preferred != null && !preferred.identity().equals(identity)
        && (coordinated || preferred.priority() > priority);
  }

  /**
   * Whether this instance may begin a term on {@code current} (null: no record). Coordinated:
   * only on a record the coordinator wrote for it; otherwise always (the loop checks expiry).
   */
  boolean mayTake(@Nullable LeaderRecord current) {
    return !coordinated || (current != null && holds(current) && !mustDeferTo(current));
  }

  /**
   * Whether a follower keeps waiting on what it saw: another holds an unexpired lease or is
   * preferred; coordinated, until the coordinator names this instance.
   */
  boolean follows(Observation seen, long nowNanos) {
    return coordinated ? !mayTake(seen.record())
        : waitsForAnother(seen.record()) && !seen.expiredAt(nowNanos);
  }

  /**
   * How long a follower's next round may wait for {@code seen} to expire: until it expires;
   * coordinated, only while the coordinator names this instance but prefers another (then the
   * coordinator may be stalled), else for ever (the coordinator's naming arrives as a change).
   */
  long untilExpiryMatters(Observation seen, long nowNanos) {
    return coordinated && !holds(seen.record()) ? Long.MAX_VALUE
        : seen.expiresAtNanos() - nowNanos;
  }

  /**
   * Coordinated: whether the coordinator names this instance but prefers another, so it may not
   * lead; when that lasts past the lease's expiry, the coordinator may be stalled on a departed
   * preferred candidate ({@link CoordinatorStall}).
   */
  boolean namedButDeferring(LeaderRecord record) {
    return coordinated && holds(record) && mustDeferTo(record);
  }

  /**
   * Whether this instance should ask to be preferred: it outranks the holder of a held lease and
   * any other candidate that already asked.
   */
  boolean outranksForPreference(LeaderRecord record) {
    if (coordinated) {
      return false;
    }
    PreferredHolder preferred = record.preferredHolder();
    boolean outranksHolder = record.isHeld() && priority > record.holderPriority();
    boolean outranksPreferred = preferred == null
        || (!preferred.identity().equals(identity) && priority > preferred.priority());
    return outranksHolder && outranksPreferred;
  }

  /** Whether this instance must wait for another: one holds {@code record}, or is preferred. */
  boolean waitsForAnother(LeaderRecord record) {
    return (record.isHeld() && !holds(record)) || mustDeferTo(record);
  }

  /**
   * Whether a change seen on the watch needs a round at once: while leading, another holder or a
   * preferred candidate; while following, a free lease or a preference to claim.
   */
  boolean mustActOn(LeaderRecord changed, boolean leading) {
    if (leading) {
      return !holds(changed) || mustDeferTo(changed);
    }
    return coordinated ? mayTake(changed)
        : (!changed.isHeld() && !mustDeferTo(changed)) || outranksForPreference(changed);
  }

  /**
   * How long a follower may wait without a request when a healthy watch reports every change:
   * until the lease it saw expires (coordinated: until the coordinator names it); 0 when it must
   * act now (the lease expired or is free, or a preference is to be claimed).
   */
  long mayWaitFor(Observation seen, long nowNanos) {
    LeaderRecord record = seen.record();
    if (coordinated) {
      return mayTake(record) ? 0
          : namedButDeferring(record) ? Math.max(0, seen.expiresAtNanos() - nowNanos)
          : Long.MAX_VALUE;
    }
    if (!waitsForAnother(record) || seen.expiredAt(nowNanos) || outranksForPreference(record)) {
      return 0;
    }
    return seen.expiresAtNanos() - nowNanos;
  }
}
