package dev.leaderelection.benchmarks;

import java.util.Optional;

/**
 * One shard's transition in one member process, as {@link GroupCandidate} prints it: {@code
 * ACQUIRED <shard> <token> <nanos> <begunNanos>} when the process started the shard's work, and
 * {@code LOST <shard> <token> <nanos> <reason>} when it stopped it. Times are the process's
 * {@code System.nanoTime()}, which every process on one Linux host reads from the same monotonic
 * clock, so events of different processes and the harness's own times compare.
 *
 * @param member the process that printed it (its identity)
 * @param acquired whether the shard was acquired (else lost)
 * @param shard the shard's index
 * @param token the term's fencing token
 * @param nanos when the listener ran
 * @param begunNanos for an acquisition, when the term began by its {@code acquiredAt} (never
 *     after {@code nanos}); for a loss, {@code nanos}
 * @param reason the step-down reason of a loss; empty for an acquisition
 */
record ShardEvent(String member, boolean acquired, int shard, long token, long nanos,
    long begunNanos, String reason) {

  /** A loss the harness records for a process that can no longer print: killed or gone. */
  static ShardEvent gone(String member, int shard, long token, long nanos, String reason) {
    return new ShardEvent(member, false, shard, token, nanos, nanos, reason);
  }

  /** The event of one output line of {@code member}; empty for any other line. */
  static Optional<ShardEvent> parse(String member, String line) {
    String[] parts = line.trim().split(" ");
    try {
      if (parts.length == 5 && parts[0].equals("ACQUIRED")) {
        long nanos = Long.parseLong(parts[3]);
        return Optional.of(new ShardEvent(member, true, Integer.parseInt(parts[1]),
            Long.parseLong(parts[2]), nanos, Math.min(nanos, Long.parseLong(parts[4])), ""));
      }
      if (parts.length == 5 && parts[0].equals("LOST")) {
        long nanos = Long.parseLong(parts[3]);
        return Optional.of(new ShardEvent(member, false, Integer.parseInt(parts[1]),
            Long.parseLong(parts[2]), nanos, nanos, parts[4]));
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The line {@link GroupCandidate} prints for this event. */
  String line() {
    return acquired ? "ACQUIRED " + shard + " " + token + " " + nanos + " " + begunNanos
        : "LOST " + shard + " " + token + " " + nanos + " " + reason;
  }
}
