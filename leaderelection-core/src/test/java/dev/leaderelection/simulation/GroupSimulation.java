package dev.leaderelection.simulation;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.SimulationAccess;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spi.InMemoryGroupMembership;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * One seeded run of a shard group: real {@link ShardGroup}s on simulated processes, each shard a
 * simulated store reached over a simulated network; members join, leave gracefully, crash (their
 * announcements expire a lease duration later), lose their links for a while, and pause (stand
 * aside, as when readiness is lost) and resume. After every
 * event: no shard led by two members, and every new term of a shard has a larger token than any
 * before it. After a quiet tail: no shard led by a paused member, every shard led by one live
 * member that competes, and the spread within one.
 */
final class GroupSimulation {

  static final LeaseTimings TIMINGS =
      LeaseTimings.of(Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofSeconds(1));
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;
  private static final long DURATION = 120 * SECOND;
  private static final long QUIET = 40 * SECOND;
  private static final int LINKS = 64;
  private static final Instant WALL_BASE = Instant.parse("2030-01-01T00:00:00Z");

  private final long seed;
  private final SplittableRandom random;
  private final int shards;
  private final World world;
  private final Trace trace;
  private final Network network;
  private final SimStore[] stores;
  private final InMemoryGroupMembership membership = new InMemoryGroupMembership("sim");
  private final List<Member> members = new ArrayList<>();
  private final @Nullable LeaderContext[] lastTerms;
  private final long[] maxTokens;
  private @Nullable String violation;

  /** One process of the group, its group, and what happened to it: gone, paused. */
  private record Member(String identity, SimProcess process, ShardGroup group, boolean[] state) {
    boolean live() {
      return !state[0];
    }

    boolean competing() {
      return !state[0] && !state[1];
    }
  }

  GroupSimulation(long seed, int traceCapacity) {
    this(seed, traceCapacity, false);
  }

  /** @param brokenStores whether the stores accept stale updates (to test the checker) */
  GroupSimulation(long seed, int traceCapacity, boolean brokenStores) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.shards = 4 + random.nextInt(29);
    this.world = new World(this::check);
    this.trace = new Trace(traceCapacity, world::now);
    this.network = new Network(world, random.split(), LINKS, 30 * MS);
    this.stores = IntStream.range(0, shards).mapToObj(shard -> new SimStore("shard-" + shard,
        () -> { })).toArray(SimStore[]::new);
    if (brokenStores) {
      java.util.Arrays.stream(stores).forEach(SimStore::acceptStaleUpdates);
    }
    this.lastTerms = new LeaderContext[shards];
    this.maxTokens = new long[shards];
    java.util.Arrays.fill(maxTokens, -1);
  }

  /** Runs the schedule; returns the first violation, or null. */
  @Nullable String run() {
    int initial = 1 + random.nextInt(4);
    for (int i = 0; i < initial; i++) {
      world.after(random.nextLong(2 * SECOND), this::join);
    }
    int operations = random.nextInt(12);
    for (int i = 0; i < operations; i++) {
      world.after(3 * SECOND + random.nextLong(DURATION - QUIET - 3 * SECOND), this::operate);
    }
    world.after(DURATION - QUIET, network::quiet);
    try {
      world.runUntil(DURATION);
    } catch (Violation found) {
      return violation;
    }
    return violation != null ? violation : balanced();
  }

  long events() {
    return world.events();
  }

  String describe() {
    return "seed " + seed + ": " + shards + " shards, " + members.size() + " members started";
  }

  List<String> trace() {
    return trace.lines();
  }

  private void operate() {
    List<Member> live = members.stream().filter(Member::live).toList();
    int kind = random.nextInt(12);
    if (live.size() < 2 || kind < 3 && members.size() < LINKS) {
      join();
      return;
    }
    Member chosen = live.get(random.nextInt(live.size()));
    if (kind < 6) {
      trace.add(chosen.identity(), "LEAVE", null);
      chosen.state()[0] = true;
      chosen.group().closeAsync();
    } else if (kind < 8) {
      trace.add(chosen.identity(), "CRASH", null);
      chosen.state()[0] = true;
      chosen.process().crash();
      world.after(TIMINGS.leaseDuration().toNanos(), () -> membership.expire(chosen.identity()));
    } else if (kind >= 10) {
      pause(chosen);
    } else {
      long outage = SECOND + random.nextLong(8 * SECOND);
      trace.add(chosen.identity(), "DEGRADE", outage / MS + " ms");
      network.degrade(members.indexOf(chosen), outage, 3 * SECOND, random.nextDouble());
    }
  }

  /**
   * Pauses a member (readiness lost, its context stopped) and resumes it some seconds later; a
   * resume due after the quiet tail began never comes, so some members end paused.
   */
  private void pause(Member chosen) {
    if (chosen.state()[1]) {
      return;
    }
    trace.add(chosen.identity(), "PAUSE", null);
    chosen.state()[1] = true;
    chosen.group().pause();
    long resumeAt = world.now() + SECOND + random.nextLong(15 * SECOND);
    if (resumeAt < DURATION - QUIET) {
      world.after(resumeAt - world.now(), () -> {
        if (chosen.live()) {
          trace.add(chosen.identity(), "RESUME", null);
          chosen.state()[1] = false;
          chosen.group().resume();
        }
      });
    }
  }

  private void join() {
    int link = members.size();
    String identity = "m" + link;
    SimProcess process = new SimProcess(identity, world, 1_000_000L, random.nextLong(1L << 50),
        WALL_BASE.plusMillis(random.nextInt(2000) - 1000));
    SplittableRandom jitter = random.split();
    ShardGroup group = ShardGroup.builder("sim", shards,
        shard -> new NetworkLock(world, process, link, network, new StoreLock(stores[shard]),
            stores[shard], 2 * SECOND, sent -> { }, trace),
        new SimMembership(world, process, membership), identity)
        .balancingExecutor(process.executor())
        .electorCustomizer((shard, elector) -> SimulationAccess.jitter(elector.timings(TIMINGS)
            .ticker(process.ticker()).clock(process.clock()).scheduler(process.executor())
            .executor(process.executor()).callbackExecutor(process.executor()),
            jitter::nextDouble))
        .build();
    members.add(new Member(identity, process, group, new boolean[2]));
    trace.add(identity, "JOIN", null);
    group.start();
  }

  /** After every event: one leader per shard at most, and tokens that only grow. */
  private void check() {
    for (int shard = 0; shard < shards; shard++) {
      Member leader = null;
      for (Member member : members) {
        var term = member.group().term(shard);
        if (term.isEmpty()) {
          continue;
        }
        if (leader != null) {
          fail("shard " + shard + " led by " + leader.identity() + " and " + member.identity());
        }
        leader = member;
        LeaderContext context = term.get();
        if (context != lastTerms[shard]) {
          if (context.fencingToken() <= maxTokens[shard]) {
            fail("shard " + shard + ": " + member.identity() + " began term "
                + context.fencingToken() + " after term " + maxTokens[shard]);
          }
          lastTerms[shard] = context;
          maxTokens[shard] = context.fencingToken();
          trace.add(member.identity(), "LEADS", "shard " + shard + " token "
              + context.fencingToken());
        }
      }
    }
  }

  /**
   * After the quiet tail: no shard led by a paused member, every shard led by one competing
   * member, and the spread within one.
   */
  private @Nullable String balanced() {
    for (Member paused : members) {
      if (paused.live() && !paused.competing() && !paused.group().ownedShards().isEmpty()) {
        return "paused member " + paused.identity() + " still leads shards "
            + paused.group().ownedShards();
      }
    }
    List<Member> live = members.stream().filter(Member::competing).toList();
    if (live.isEmpty()) {
      return null;
    }
    int[] counts = live.stream().mapToInt(member -> member.group().ownedShards().size()).toArray();
    int total = IntStream.of(counts).sum();
    int spread = IntStream.of(counts).max().orElse(0) - IntStream.of(counts).min().orElse(0);
    if (total != shards || spread > 1) {
      return "not balanced after the quiet tail: " + total + " of " + shards
          + " shards led, counts " + java.util.Arrays.toString(counts) + " over "
          + live.stream().map(Member::identity).toList();
    }
    return null;
  }

  private void fail(String message) {
    violation = String.format("%.3f s: %s", world.now() / 1e9, message);
    throw new Violation("group", violation);
  }
}
