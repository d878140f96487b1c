package dev.leaderelection.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The last events of a world, for the report of a violation. Off in bulk runs (a violation is
 * replayed from its seed with the trace on), so recording costs one branch.
 */
final class Trace {

  private record Entry(long nanos, String who, String what, Object detail) {
    @Override
    public String toString() {
      return String.format("%10.3f s  %-10s %s%s", nanos / 1e9, who, what,
          detail == null ? "" : " " + detail);
    }
  }

  private final boolean enabled;
  private final LongSupplier clock;
  private final Entry[] ring;
  private long count;

  /** @param capacity how many of the last entries are kept (0: off) */
  Trace(int capacity, LongSupplier clock) {
    this.enabled = capacity > 0;
    this.clock = clock;
    this.ring = new Entry[Math.max(1, capacity)];
  }

  boolean enabled() {
    return enabled;
  }

  /** Records that {@code who} did {@code what}; {@code detail} is formatted only when printed. */
  void add(String who, String what, Object detail) {
    if (enabled) {
      ring[(int) (count++ % ring.length)] = new Entry(clock.getAsLong(), who, what, detail);
    }
  }

  /** The kept entries, oldest first, one a line. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    long first = Math.max(0, count - ring.length);
    for (long i = first; i < count; i++) {
      lines.add(ring[(int) (i % ring.length)].toString());
    }
    return lines;
  }
}
