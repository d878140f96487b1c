package dev.leaderelection.simulation;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.SimulationAccess;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.MigratingLeaseLock;
import java.time.Instant;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * One run of one {@link Scenario}: builds its world (stores, network, controller, processes with
 * real {@link LeaderElector}s), applies the operations at their times and runs the loop to the
 * end or to the first violation.
 */
final class Simulation {

  private static final Instant WALL_BASE = Instant.parse("2030-01-01T00:00:00Z");
  private static final long MS = 1_000_000L;

  private final Scenario scenario;
  private final World world;
  private final Trace trace;
  private final SplittableRandom random;
  private final Network network;
  private final SimStore[] stores;
  private final LeaseLock server;
  private final @Nullable SimStore watched;
  private final @Nullable Controller controller;
  private final Checker checker;
  private final Node[] slots;
  private final Operations operations;
  private int spawned;
  private @Nullable Node lastSender;
  private final java.util.List<java.util.function.Consumer<Node>> acquireHooks =
      new java.util.ArrayList<>();

  private Simulation(Scenario scenario, int traceCapacity) {
    this.scenario = scenario;
    Checker[] check = new Checker[1];
    this.world = new World(() -> check[0].afterEvent());
    this.trace = new Trace(traceCapacity, world::now);
    this.random = new SplittableRandom(scenario.seed());
    long settledAt = scenario.quietStart() + scenario.callTimeoutNanos() * 1_000_000L
        / scenario.minRatePpm() + 200 * MS;
    long grace = (scenario.timings().leaseDuration().toNanos()
        + scenario.timings().renewDeadline().toNanos()) * 1_000_000L / scenario.minRatePpm();
    this.checker = check[0] = new Checker(world, trace, settledAt, livenessBound(), grace);
    this.network = new Network(world, random.split(), scenario.electors(), 30 * MS);
    boolean migrating = scenario.family() == Family.MIGRATING;
    Runnable reset = checker::historyReset;
    this.stores = migrating
        ? new SimStore[] {new SimStore("configmap", reset), new SimStore("lease", reset)}
        : new SimStore[] {new SimStore("lease", reset)};
    if (scenario.brokenLock()) {
      for (SimStore store : stores) {
        store.acceptStaleUpdates();
      }
    }
    this.server = migrating
        ? new MigratingLeaseLock(new StoreLock(stores[0]), new StoreLock(stores[1]))
        : new StoreLock(stores[0]);
    this.watched = migrating ? null : stores[0];
    this.controller = scenario.family() == Family.COORDINATED
        ? new Controller(world, stores[0], random.split(), WALL_BASE, trace) : null;
    this.slots = new Node[scenario.electors()];
    this.operations = new Operations(this, world, network, stores, random.split(), trace);
  }

  /** Runs {@code scenario}, keeping the last {@code traceCapacity} events (0: none). */
  static Outcome run(Scenario scenario, int traceCapacity) {
    return new Simulation(scenario, traceCapacity).run();
  }

  private Outcome run() {
    for (int slot = 0; slot < slots.length; slot++) {
      spawn(slot, "e" + slot, scenario.priorities()[slot]);
    }
    if (controller != null) {
      controller.start();
    }
    for (Op op : scenario.ops()) {
      world.after(op.at(), () -> operations.apply(op));
    }
    world.after(scenario.quietStart(), network::quiet);
    for (long t = scenario.quietStart(); t <= scenario.durationNanos(); t += 250 * MS) {
      world.after(t, () -> { });
    }
    Violation violation = null;
    try {
      world.runUntil(scenario.durationNanos());
    } catch (Violation found) {
      violation = found;
      trace.add("checker", "VIOLATION", found.getMessage());
    }
    return new Outcome(scenario, violation, world.now(), world.events(), checker.terms(),
        trace.lines());
  }

  /** The longest time without a leader that liveness allows, in true time. */
  private long livenessBound() {
    long lease = scenario.timings().leaseDuration().toNanos();
    long retry = scenario.timings().retryPeriod().toNanos();
    long processBound = lease + 2 * retry * 12 / 10;
    long bound = processBound * 1_000_000L / scenario.minRatePpm() + 200 * MS;
    // Coordinated: the controller's pings and 5 s requeues, and after a departed preferred
    // candidate stalls it (Kubernetes 1.36.4), the lease's expiry and one more ping timeout.
    return scenario.family() == Family.COORDINATED ? bound + 20_000 * MS : bound;
  }

  // ---- for Operations

  Scenario scenario() {
    return scenario;
  }

  Node slot(int slot) {
    return slots[slot];
  }

  int slots() {
    return slots.length;
  }

  /** Runs {@code hook} on the next elector that sends an acquire, just after it sends it. */
  void onNextAcquire(java.util.function.Consumer<Node> hook) {
    acquireHooks.add(hook);
  }

  /** The elector that sent the last lock call, if any. */
  @Nullable Node lastSender() {
    return lastSender;
  }

  /** The elector that leads now, if any. */
  @Nullable Node leader() {
    for (Node node : slots) {
      if (node != null && !node.process().crashed() && node.started()
          && node.elector().isLeader()) {
        return node;
      }
    }
    return null;
  }

  /** A new process in {@code slot}, its elector built but not started. */
  Node spawn(int slot, String identity, int priority) {
    SimProcess process = new SimProcess(identity + "/" + spawned++, world,
        scenario.ratePpm()[slot], random.nextLong(1L << 50),
        WALL_BASE.plusMillis(random.nextInt(2000) - 1000));
    Node[] self = new Node[1];
    NetworkLock lock = new NetworkLock(world, process, slot, network, server, watched,
        scenario.callTimeoutNanos(), sent -> {
          lastSender = self[0];
          self[0].sending();
          if (sent != null && sent.acquireTime() != null
              && sent.acquireTime().equals(sent.renewTime()) && !acquireHooks.isEmpty()
              && world.now() < scenario.quietStart()) { // armed faults never fire in the tail
            Node acquirer = self[0];
            java.util.List<java.util.function.Consumer<Node>> hooks = java.util.List.copyOf(
                acquireHooks);
            acquireHooks.clear();
            world.after(0, () -> hooks.forEach(hook -> hook.accept(acquirer)));
          }
        }, trace);
    Node node = self[0] = new Node(slot, identity, priority, process, lock, checker,
        random.split(), scenario.listenerLatency()[slot]);
    LeaderElector.Builder builder = LeaderElector.builder(lock, identity)
        .timings(scenario.timings())
        .ticker(process.ticker())
        .clock(process.clock())
        .scheduler(process.executor())
        .executor(process.executor())
        .callbackExecutor(node.callbacks())
        .listener(node.listener());
    SplittableRandom jitter = random.split();
    SimulationAccess.jitter(builder, jitter::nextDouble);
    if (controller != null) {
      builder.coordinatedBy(controller.candidacy(process, identity, 1 + random.nextInt(2)));
    } else {
      builder.priority(priority);
    }
    node.attach(builder.build());
    checker.add(node);
    slots[slot] = node;
    return node;
  }

  Node[] nodes() {
    return slots;
  }

  Instant wallNow() {
    return WALL_BASE.plusNanos(world.now());
  }
}
