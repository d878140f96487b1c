package dev.leaderelection;

import dev.leaderelection.LeaderRecord.PreferredHolder;

/**
 * This instance as a candidate: the rules that compare a record's holder and preferred holder
 * with its identity and priority. Pure functions.
 */
record Candidate(String identity, int priority) {

  /** Whether this instance holds {@code record}. */
  boolean holds(LeaderRecord record) {
    return identity.equals(record.holderIdentity());
  }

  /** Whether {@code record} prefers another candidate of higher priority than this one. */
  boolean mustDeferTo(LeaderRecord record) {
    PreferredHolder preferred = record.preferredHolder();
    return preferred != null && !preferred.identity().equals(identity)
        && preferred.priority() > priority;
  }

  /**
   * Whether this instance should ask to be preferred: it outranks the holder of a held lease and
   * any other candidate that already asked.
   */
  boolean outranksForPreference(LeaderRecord record) {
    PreferredHolder preferred = record.preferredHolder();
    boolean outranksHolder = record.isHeld() && priority > record.holderPriority();
    boolean outranksPreferred = preferred == null
        || (!preferred.identity().equals(identity) && priority > preferred.priority());
    return outranksHolder && outranksPreferred;
  }
}
