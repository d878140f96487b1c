package dev.leaderelection.simulation;

/**
 * One operation of a schedule: what happens to whom, when (true time). An operation that does not
 * apply when its time comes (closing a crashed elector, say) is skipped, so any subset of a
 * schedule is a schedule: that is what shrinking relies on.
 *
 * @param at when, in nanoseconds from the start
 * @param kind what
 * @param target the elector's slot, or {@link #LEADER} for whichever leads then (else slot 0)
 * @param param the kind's parameter: a duration in nanoseconds, a priority, a store
 */
record Op(long at, Kind kind, int target, long param) {

  /** Targets whichever elector leads when the operation applies. */
  static final int LEADER = -1;

  /** Targets the elector that sent the last lock call (likely one with a call in flight). */
  static final int BUSY = -2;

  /**
   * Targets the next elector that sends an acquire (a write beginning a new term), just after it
   * sends it: so that closing, pausing or yielding lands while the acquire is in flight.
   */
  static final int ACQUIRING = -3;

  enum Kind {
    /** Starts the slot's elector. */
    START,
    /** {@code closeAsync()}. */
    CLOSE,
    /** The process dies without releasing; its tasks never run again. */
    CRASH,
    /** A new process in the slot (after a crash or a completed close); param: priority × 2 + 1
     * when it keeps its identity. */
    RESTART,
    /** {@code pause()}; param - 1 nanoseconds later {@code resume()} (param 0: never). */
    PAUSE,
    RESUME,
    /** {@code yield(param)}. */
    YIELD,
    /** SIGSTOP for param nanoseconds, then SIGCONT. */
    FREEZE,
    /** The slot's network degrades for param nanoseconds. */
    DEGRADE,
    /** Store {@code target} (0 or 1 of a migration) is down for param nanoseconds. */
    OUTAGE,
    /** The slot's watch connection resets. */
    BREAK_WATCH,
    /** Another holder (not an elector) takes the record of store {@code target}. */
    FOREIGN_TAKE,
    FOREIGN_DELETE,
    /** Recreated without a holder, its transitions reset. */
    FOREIGN_RECREATE,
    /** A metadata-only edit: a new version of the same record. */
    FOREIGN_TOUCH
  }

  @Override
  public String toString() {
    return String.format("%.3fs %s %s %d", at / 1e9, kind,
        target == LEADER ? "leader" : target == BUSY ? "busy"
            : target == ACQUIRING ? "acquiring" : Integer.toString(target), param);
  }
}
