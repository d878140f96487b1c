package dev.leaderelection.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.CrashableLock;
import dev.leaderelection.FakeTicker;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.ManualElectors;
import dev.leaderelection.ManualScheduler;
import dev.leaderelection.spi.InMemoryGroupMembership;
import dev.leaderelection.spi.InMemoryLeaseLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Members of one shard group, each a {@link ShardGroup} on the same in-memory shard locks and
 * membership, all on one fake ticker and manual scheduler: nothing sleeps and every run is the
 * same. Each member reaches the locks through {@link CrashableLock}s of its own, so a test can
 * crash one. After every task it checks that no shard has two members leading it.
 */
final class GroupHarness {

  static final LeaseTimings TIMINGS = LeaseTimings.DEFAULTS;
  static final Duration QUIESCENCE = TIMINGS.leaseDuration().plus(TIMINGS.retryPeriod().multipliedBy(2));

  final FakeTicker ticker = new FakeTicker();
  final ManualScheduler scheduler = new ManualScheduler(ticker);
  final InMemoryGroupMembership membership = new InMemoryGroupMembership("tenants");
  final int shards;
  final List<InMemoryLeaseLock> locks;
  final Map<String, ShardGroup> members = new LinkedHashMap<>();
  /** Every member ever started, crashed ones included: they may still believe they lead. */
  final List<ShardGroup> everyMember = new ArrayList<>();
  final Map<String, List<CrashableLock>> memberLocks = new HashMap<>();
  final Map<String, RecordingShardListener> listeners = new HashMap<>();

  GroupHarness(int shards) {
    this.shards = shards;
    this.locks = IntStream.range(0, shards)
        .mapToObj(shard -> new InMemoryLeaseLock("tenants-" + shard)).toList();
    scheduler.checkAfterEveryTask(this::assertNoShardHasTwoOwners);
  }

  /** Runs each shard's elector on this harness's scheduler and manual time, with its timings. */
  ElectorCustomizer manualElectors() {
    return (shard, elector) -> ManualElectors.on(scheduler,
        elector.timings(TIMINGS).ticker(ticker).clock(ticker.clock()));
  }

  /** Builds and starts member {@code identity}, and runs what is due now. */
  ShardGroup join(String identity) {
    ShardGroup group = build(identity);
    group.start();
    scheduler.runDue();
    return group;
  }

  /** Builds member {@code identity}, on this harness's locks, time and scheduler, not started. */
  ShardGroup build(String identity) {
    List<CrashableLock> own = new ArrayList<>();
    RecordingShardListener listener = new RecordingShardListener();
    ShardGroup group = ShardGroup.builder("tenants", shards, shard -> {
      CrashableLock lock = new CrashableLock(locks.get(shard));
      own.add(lock);
      return lock;
    }, membership, identity)
        .balancingExecutor(scheduler)
        .listener(listener)
        .electorCustomizer(manualElectors())
        .build();
    members.put(identity, group);
    everyMember.add(group);
    memberLocks.put(identity, own);
    listeners.put(identity, listener);
    return group;
  }

  /**
   * Members {@code identities}, joined one after another 100 ms apart, as processes start (with no
   * jitter, electors started at one instant would renew at one instant for ever).
   */
  void joinAll(String... identities) {
    for (String identity : identities) {
      join(identity);
      advance(Duration.ofMillis(100));
    }
  }

  /** Closes member {@code identity} (a graceful leave) and runs what is due now. */
  void leave(String identity) {
    members.remove(identity).closeAsync();
    scheduler.runDue();
  }

  /**
   * Member {@code identity}'s process dies: its lock calls fail and its watches go silent, and
   * later its announcement expires (here at once, as the membership's expiry would).
   */
  void crash(String identity) {
    memberLocks.get(identity).forEach(CrashableLock::crash);
    members.remove(identity);
    membership.expire(identity);
    scheduler.runDue();
  }

  void advance(Duration duration) {
    scheduler.advance(duration);
  }

  /** How many shards each live member leads, by identity. */
  Map<String, Integer> counts() {
    return members.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        entry -> entry.getValue().ownedShards().size(), (a, b) -> a, LinkedHashMap::new));
  }

  /** Max minus min shards led per live member. */
  int spread() {
    return counts().values().stream().mapToInt(Integer::intValue).max().orElse(0)
        - counts().values().stream().mapToInt(Integer::intValue).min().orElse(0);
  }

  /** Each shard's leader among live members, {@code ""} when none leads it. */
  List<String> owners() {
    return IntStream.range(0, shards).mapToObj(shard -> members.entrySet().stream()
        .filter(entry -> entry.getValue().owns(shard)).map(Map.Entry::getKey)
        .findFirst().orElse("")).toList();
  }

  /** How many shards changed leader between two {@link #owners()} snapshots. */
  static long moved(List<String> before, List<String> after) {
    return IntStream.range(0, before.size())
        .filter(shard -> !before.get(shard).equals(after.get(shard))).count();
  }

  private void assertNoShardHasTwoOwners() {
    for (int shard = 0; shard < shards; shard++) {
      int shardIndex = shard;
      assertThat(everyMember.stream().filter(group -> group.owns(shardIndex)).count())
          .as("members leading shard %s at %s", shard, ticker.elapsed())
          .isLessThanOrEqualTo(1);
    }
  }
}
