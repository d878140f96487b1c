package dev.leaderelection.simulation;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.Candidacy;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A model of the API server's coordinated-leader-election controller (see
 * {@code notes/coordinated-leader-election.md}): it alone names holders, writing a 5 s lease
 * without counting a transition; it names the best live candidate (oldest version, then oldest
 * creation second, ties broken at random, so the preference can flip) when the record is absent,
 * released or expired; it sets {@code preferredHolder} while a better candidate than the holder
 * exists; it pings candidates whose announcement is older than 2.5 s, and counts as live only
 * those that answered within 5 s. It runs every 5 s and 100 ms after every change. Like
 * Kubernetes 1.36.4 ({@code reconcileElectionStep} leaves an expired Lease whose holder is its
 * electee unchanged, preference and all, and looks again 5 s later) it never rewrites an expired
 * lease whose holder is still the best live candidate, so a preferred holder that departed
 * without withdrawing (a crashed process's leftover candidacy) stalls the election until the
 * holder releases the naming; {@link SimCandidacy#isPreferenceStale} answers from the
 * controller's own view. The same holds for a live preferred candidate this holder outranks, and
 * for one tied with it for as long as the tie-break, drawn again at every evaluation, picks the
 * holder (the real controller takes the first of the tied in its informer's unordered list).
 * Decisions that change or keep a lease are traced.
 */
final class Controller {

  private static final long SECOND = 1_000_000_000L;
  private static final Duration NAMED_DURATION = Duration.ofSeconds(5);

  /** One process's candidacy, as the SPI sees it. */
  final class SimCandidacy implements Candidacy {
    private final SimProcess process;
    private final String identity;
    private final int version;
    private long createdSecond;
    private long lastSeen = Long.MIN_VALUE;
    private long pingedAt = Long.MIN_VALUE;
    private boolean wanted;
    private boolean listed;
    private boolean withdrawn;

    SimCandidacy(SimProcess process, String identity, int version) {
      this.process = process;
      this.identity = identity;
      this.version = version;
    }

    @Override
    public void announce() {
      wanted = true;
      world.after(5_000_000L, () -> {
        if (!process.crashed() && !withdrawn && wanted && !listed) {
          listed = true;
          createdSecond = world.now() / SECOND;
          lastSeen = world.now();
          candidates.add(this);
          soon();
        }
      });
    }

    @Override
    public void withdraw() {
      withdrawn = true;
      standAside();
    }

    @Override
    public void standAside() {
      wanted = false;
      listed = false;
      candidates.remove(this);
      soon();
    }

    @Override
    public Optional<LeaseLockException> failure() {
      return Optional.empty();
    }

    @Override
    public String describe() {
      return "simulated LeaseCandidate " + identity;
    }

    /**
     * Gone, its ping unanswered for the controller's 5 s, or not outranking this one (outranked
     * by it, or tied with it): as LeaseCandidacy judges it.
     */
    @Override
    public boolean isPreferenceStale(String preferred) {
      SimCandidacy other = find(preferred);
      return other == null
          || other.pingedAt > other.lastSeen && world.now() - other.pingedAt >= 5 * SECOND
          || version < other.version
          || version == other.version && createdSecond <= other.createdSecond;
    }

    boolean outranks(SimCandidacy other) {
      return version != other.version ? version < other.version
          : createdSecond != other.createdSecond ? createdSecond < other.createdSecond
          : random.nextBoolean();
    }
  }

  private final World world;
  private final SimStore store;
  private final SplittableRandom random;
  private final List<SimCandidacy> candidates = new ArrayList<>();
  private final Instant wallBase;
  private final Trace trace;
  private String seenHolder = "";
  private Instant seenRenew;
  private long seenAt;
  private boolean soonScheduled;

  Controller(World world, SimStore store, SplittableRandom random, Instant wallBase,
      Trace trace) {
    this.world = world;
    this.trace = trace;
    this.store = store;
    this.random = random;
    this.wallBase = wallBase;
  }

  SimCandidacy candidacy(SimProcess process, String identity, int version) {
    return new SimCandidacy(process, identity, version);
  }

  /** Starts the controller's loop and its watch on the record. */
  void start() {
    store.addStream(change -> soon());
    periodic();
  }

  private void periodic() {
    evaluate();
    world.after(5 * SECOND, this::periodic);
  }

  private void soon() {
    if (!soonScheduled) {
      soonScheduled = true;
      world.after(SECOND / 10, () -> {
        soonScheduled = false;
        evaluate();
      });
    }
  }

  private void evaluate() {
    long now = world.now();
    SimCandidacy best = null;
    for (SimCandidacy candidate : candidates) {
      if (now - candidate.lastSeen > SECOND * 5 / 2) {
        ping(candidate);
      }
      if (now - candidate.lastSeen < 5 * SECOND && (best == null || candidate.outranks(best))) {
        best = candidate;
      }
    }
    LeaderRecord record = store.record();
    if (record != null && !record.holderIdentity().equals(seenHolder)
        || record != null && !java.util.Objects.equals(record.renewTime(), seenRenew)) {
      // The lease's own renewals, as the real controller judges expiry: its own preference
      // writes (which change the version) do not renew it.
      seenHolder = record.holderIdentity();
      seenRenew = record.renewTime();
      seenAt = now;
    }
    if (store.down() || best == null) {
      return;
    }
    Instant wallNow = wallBase.plusNanos(now);
    if (record == null || !record.isHeld()
        || now - seenAt >= record.leaseDuration().toNanos()) {
      if (record != null && record.isHeld() && record.holderIdentity().equals(best.identity)) {
        if (trace.enabled()) {
          trace.add("controller", "leaves the expired lease to its best", live(now));
        }
        return; // expired, but its holder is the best: 1.36.4 leaves it, preference and all
      }
      int transitions = record == null ? 0 : record.leaseTransitions();
      if (trace.enabled()) {
        trace.add("controller", "names " + best.identity + " of", live(now));
      }
      store.store(LeaderRecord.builder().holderIdentity(best.identity)
          .leaseDuration(NAMED_DURATION).renewTime(wallNow).leaseTransitions(transitions).build());
      return;
    }
    SimCandidacy holder = find(record.holderIdentity());
    PreferredHolder preferred = record.preferredHolder();
    boolean better = holder == null || now - holder.lastSeen >= 5 * SECOND
        || (best != holder && best.outranks(holder));
    if (best != holder && better
        && (preferred == null || !preferred.identity().equals(best.identity))) {
      if (trace.enabled()) {
        trace.add("controller", "prefers " + best.identity + " over "
            + record.holderIdentity() + " of", live(now));
      }
      store.store(
          record.toBuilder().preferredHolder(new PreferredHolder(best.identity, 0)).build());
    }
  }

  /** The candidates, each with its version, creation second and liveness, for the trace. */
  private String live(long now) {
    StringBuilder text = new StringBuilder();
    for (SimCandidacy candidate : candidates) {
      text.append(candidate.identity).append("(v").append(candidate.version).append(' ')
          .append(candidate.createdSecond).append("s")
          .append(now - candidate.lastSeen < 5 * SECOND ? "" : " stale").append(") ");
    }
    return text.toString().trim();
  }

  private void ping(SimCandidacy candidate) {
    if (candidate.pingedAt <= candidate.lastSeen) {
      candidate.pingedAt = world.now();
    }
    candidate.process.executor().at(world.now() + 5_000_000L,
        () -> candidate.lastSeen = world.now());
  }

  private SimCandidacy find(String identity) {
    for (SimCandidacy candidate : candidates) {
      if (candidate.identity.equals(identity)) {
        return candidate;
      }
    }
    return null;
  }
}
