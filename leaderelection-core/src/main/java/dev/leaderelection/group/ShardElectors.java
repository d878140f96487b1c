package dev.leaderelection.group;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;

import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * The mechanics of a member's candidacies: one elector per shard, started paused, resumed to
 * compete and paused to stand aside or hand a shard off, with the elector's own pause (which
 * yields a term gracefully: listeners first, then the release of that term only). Knows nothing
 * of balance; {@link #apply} carries out a {@link Balance.Plan}. Thread-safe as its electors are.
 */
final class ShardElectors {

  private final List<LeaderElector> electors;

  ShardElectors(List<LeaderElector> electors) {
    this.electors = List.copyOf(electors);
  }

  /** Starts every elector paused: none competes until a plan says so. */
  void startPaused() {
    electors.forEach(elector -> {
      elector.pause();
      elector.start();
    });
  }

  int size() {
    return electors.size();
  }

  LeaderElector elector(int shard) {
    return electors.get(shard);
  }

  /** The shards this member leads now. */
  SortedSet<Integer> owned() {
    return IntStream.range(0, electors.size()).filter(shard -> electors.get(shard).isLeader())
        .boxed().collect(Collectors.toCollection(TreeSet::new));
  }

  /** Each shard's holder as last observed, {@code ""} when free or never seen. */
  List<String> holders() {
    return electors.stream().map(elector -> elector.leader().orElse("")).toList();
  }

  /**
   * The failure of the competing shard whose lock has been failing longest; empty while every
   * competing shard's lock answers. Paused electors make no call, so their last failure is stale
   * and not counted.
   */
  Optional<ShardFailure> longestFailure() {
    @Nullable ShardFailure longest = null;
    for (int shard = 0; shard < electors.size(); shard++) {
      LeaderElector elector = electors.get(shard);
      Optional<LeaseLockException> failure = elector.lastFailure();
      if (elector.isPaused() || failure.isEmpty()) {
        continue;
      }
      Duration failing = elector.failingFor();
      if (longest == null || failing.compareTo(longest.failingFor()) > 0) {
        longest = new ShardFailure(shard, failure.get(), failing);
      }
    }
    return Optional.ofNullable(longest);
  }

  /** The holder of {@code shard} as last observed, and its term's token. */
  Optional<ShardOwner> owner(int shard) {
    return electors.get(shard).observedRecord().filter(record -> !record.holderIdentity().isEmpty())
        .map(ShardElectors::owner);
  }

  /**
   * Hands off the shards to release, competes for the shards to compete for and for those it
   * leads, and stands aside from every other. Pauses and resumes only electors whose state
   * changes, so a plan applied again sends nothing.
   */
  void apply(Balance.Plan plan) {
    for (int shard = 0; shard < electors.size(); shard++) {
      LeaderElector elector = electors.get(shard);
      boolean compete = !plan.release().contains(shard)
          && (plan.compete().contains(shard) || elector.isLeader());
      if (compete && elector.isPaused()) {
        elector.resume();
      } else if (!compete && !elector.isPaused()) {
        elector.pause();
      }
    }
  }

  /**
   * Pauses every elector: each stands aside, handing off the shard it leads.
   *
   * @return completes once every hand-off is done or given up
   */
  CompletableFuture<Void> pauseAll() {
    return CompletableFuture.allOf(electors.stream()
        .map(elector -> elector.pause().toCompletableFuture())
        .toArray(CompletableFuture[]::new));
  }

  /** The longest lease duration of the electors: how long closing may take. */
  Duration longestLeaseDuration() {
    return electors.stream().map(elector -> elector.timings().leaseDuration())
        .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
  }

  /** Closes every elector (releasing what it leads); completes when all have closed. */
  CompletableFuture<Void> close() {
    return CompletableFuture.allOf(electors.stream()
        .map(elector -> elector.closeAsync().toCompletableFuture())
        .toArray(CompletableFuture[]::new));
  }

  private static ShardOwner owner(LeaderRecord record) {
    return new ShardOwner(record.holderIdentity(), record.leaseTransitions());
  }
}
