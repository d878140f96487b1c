package dev.leaderelection.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one chaos run recorded, on the host's monotonic clock ({@code System.nanoTime()},
 * CLOCK_MONOTONIC on Linux, comparable across processes): the terms candidates reported, the
 * recoveries measured after each batch of faults, the lease renewals the harness saw, the
 * pauses and crashes of leaders, and the terms a candidate began while the harness had paused its
 * elector. (The actions are the {@link FencedResource}'s.) A sharded run ({@link ShardedCandidate})
 * keeps each shard's terms, pauses and begins in a history of the shard's own
 * ({@link #shard(int)}), and, after each batch, when every shard acted again ({@link Coverage});
 * the recoveries, faults and crashes stay in the run's. Thread-safe.
 */
final class History {

  /** A term a candidate reported beginning ({@code BEGIN}). */
  record Term(String identity, long token, long beginNanos) {
  }

  /**
   * After a batch of faults: when some candidate acted as leader again (-1 when none did in time),
   * counted from {@code fromNanos}: when the faults cleared, or, when the leader let go on request
   * (a yield or a pause) during the batch, when it was asked to.
   */
  record Recovery(String after, long fromNanos, long leaderNanos, long boundNanos) {

    boolean missed() {
      return leaderNanos < 0 || leaderNanos - fromNanos > boundNanos;
    }
  }

  /**
   * A change of the lease as the harness first saw it: a renewal (or acquisition) by
   * {@code holder}, or a release ({@code holder} empty).
   */
  record Renewal(String holder, long seenNanos) {
  }

  /** A leader stopped (SIGSTOP) and continued (SIGCONT). */
  record Pause(String identity, long token, long stoppedNanos, long continuedNanos) {
  }

  /**
   * A candidate that reported leading, killed with SIGKILL; its term was live when the lease's
   * last renewal the harness saw before the kill was its own and younger than {@code leaseNanos}.
   */
  record Crash(String identity, long killedNanos, long leaseNanos) {
  }

  private final List<Term> terms = new ArrayList<>();
  private final List<Recovery> recoveries = new ArrayList<>();
  private final List<Renewal> renewals = new ArrayList<>();
  private final List<Pause> pauses = new ArrayList<>();
  private final List<Crash> crashes = new ArrayList<>();
  private final List<Term> pausedBegins = new ArrayList<>();
  private final List<Fault> faults = new ArrayList<>();
  private final Map<String, Integer> endReasons = new TreeMap<>();
  private final Map<Integer, History> shards = new TreeMap<>();
  private final List<Coverage> coverages = new ArrayList<>();

  /**
   * After a batch of a sharded run: when every shard had acted again since the faults cleared
   * ({@code allNanos}; -1 when not within the harness's patience), from {@code fromNanos}. A
   * liveness figure, never a verdict.
   */
  record Coverage(String after, long fromNanos, long allNanos) {
  }

  /** The history of one shard of a sharded run, created on first use. */
  synchronized History shard(int shard) {
    return shards.computeIfAbsent(shard, any -> new History());
  }

  /** The shards that have a history of their own, by shard; empty for a plain run. */
  synchronized Map<Integer, History> shards() {
    return Map.copyOf(shards);
  }

  synchronized void coverage(Coverage coverage) {
    coverages.add(coverage);
  }

  synchronized List<Coverage> coverages() {
    return List.copyOf(coverages);
  }

  synchronized void term(Term term) {
    terms.add(term);
  }

  synchronized void recovery(Recovery recovery) {
    recoveries.add(recovery);
  }

  synchronized void renewal(Renewal renewal) {
    renewals.add(renewal);
  }

  synchronized void pause(Pause pause) {
    pauses.add(pause);
  }

  synchronized void crash(Crash crash) {
    crashes.add(crash);
  }

  /** A fault the harness injected: its kind, at whom (a slot or an identity), and when. */
  record Fault(String kind, String target, long injectedNanos) {
  }

  synchronized void fault(Fault fault) {
    faults.add(fault);
  }

  /** The faults injected, in order. */
  synchronized List<Fault> faults() {
    return List.copyOf(faults);
  }

  /** A term ended, for {@code reason} (the elector's step-down reason; STOPPED for peers). */
  synchronized void ended(String reason) {
    endReasons.merge(reason, 1, Integer::sum);
  }

  /** How many terms ended for each reason. */
  synchronized Map<String, Integer> endReasons() {
    return Map.copyOf(endReasons);
  }

  synchronized void beganWhilePaused(Term term) {
    pausedBegins.add(term);
  }

  synchronized List<Term> terms() {
    return List.copyOf(terms);
  }

  synchronized List<Recovery> recoveries() {
    return List.copyOf(recoveries);
  }

  synchronized List<Renewal> renewals() {
    return List.copyOf(renewals);
  }

  synchronized List<Pause> pauses() {
    return List.copyOf(pauses);
  }

  synchronized List<Crash> crashes() {
    return List.copyOf(crashes);
  }

  /** Terms begun while the harness had paused the candidate's elector (design rule 10: none). */
  synchronized List<Term> pausedBegins() {
    return List.copyOf(pausedBegins);
  }
}
