package dev.leaderelection.simulation;

import java.util.SplittableRandom;

/**
 * Applies a schedule's operations to a running {@link Simulation}; an operation that does not
 * apply to the target's state then is skipped (see {@link Op}).
 */
final class Operations {

  private final Simulation simulation;
  private final World world;
  private final Network network;
  private final SimStore[] stores;
  private final SplittableRandom random;
  private final Trace trace;

  Operations(Simulation simulation, World world, Network network, SimStore[] stores,
      SplittableRandom random, Trace trace) {
    this.simulation = simulation;
    this.world = world;
    this.network = network;
    this.stores = stores;
    this.random = random;
    this.trace = trace;
  }

  void apply(Op op) {
    if (op.target() == Op.ACQUIRING) {
      simulation.onNextAcquire(node -> apply(op, node));
      return;
    }
    apply(op, target(op));
  }

  private void apply(Op op, Node node) {
    trace.add(node.process().name(), "op", op);
    switch (op.kind()) {
      case START -> {
        if (!node.started() && !node.process().crashed()) {
          node.start();
        }
      }
      case CLOSE -> {
        if (node.operable()) {
          node.close();
        }
      }
      case CRASH -> node.process().crash();
      case RESTART -> restart(node, op.param());
      case PAUSE -> pause(node, op.param());
      case RESUME -> {
        if (node.operable()) {
          node.resume();
        }
      }
      case YIELD -> {
        if (node.operable()) {
          node.yieldFor(op.param());
        }
      }
      case FREEZE -> freeze(node.process(), op.param());
      case DEGRADE -> degrade(node.slot(), op.param());
      case OUTAGE -> outage(store(op), op.param());
      case BREAK_WATCH -> node.lock().breakWatches();
      case FOREIGN_TAKE -> store(op).takeBy("intruder", simulation.scenario().timings()
          .leaseDuration(), simulation.wallNow());
      case FOREIGN_DELETE -> store(op).delete();
      case FOREIGN_RECREATE -> store(op).recreateFree(simulation.wallNow());
      case FOREIGN_TOUCH -> store(op).touch();
      default -> throw new IllegalArgumentException("unknown operation " + op);
    }
  }

  private Node target(Op op) {
    if (op.target() == Op.LEADER) {
      Node leader = simulation.leader();
      return leader != null ? leader : simulation.slot(random.nextInt(simulation.slots()));
    }
    if (op.target() == Op.BUSY) {
      Node busy = simulation.lastSender();
      return busy != null ? busy : simulation.slot(random.nextInt(simulation.slots()));
    }
    return simulation.slot(Math.min(op.target(), simulation.slots() - 1));
  }

  private SimStore store(Op op) {
    return stores[Math.max(0, Math.min(op.target(), stores.length - 1))];
  }

  /** A new process in the slot, after a crash or a completed close. */
  private void restart(Node node, long param) {
    if (!node.process().crashed() && !node.closeDone()) {
      return;
    }
    boolean sameIdentity = param % 2 == 1 && simulation.scenario().family() != Family.COORDINATED;
    String identity = sameIdentity ? node.identity() : "e" + node.slot() + "." + world.events();
    int priority = (int) (param / 2);
    simulation.spawn(node.slot(), identity, priority).start();
  }

  /** Pauses; {@code param} - 1 nanoseconds later resumes the same elector (0: never). */
  private void pause(Node node, long param) {
    if (!node.operable()) {
      return;
    }
    node.pause();
    if (param > 0) {
      world.after(param - 1, () -> {
        if (node.operable()) {
          trace.add(node.process().name(), "resumes", null);
          node.resume();
        }
      });
    }
  }

  private void freeze(SimProcess process, long nanos) {
    if (process.crashed() || process.frozen()) {
      return;
    }
    process.freeze();
    world.after(nanos, () -> {
      trace.add(process.name(), "thawed", null);
      process.thaw();
    });
  }

  private void degrade(int link, long nanos) {
    long timeout = simulation.scenario().callTimeoutNanos();
    long slowest = random.nextLong(timeout / 4, 2 * timeout);
    double loss = random.nextDouble() * 0.6;
    network.degrade(link, nanos, slowest, loss);
  }

  private void outage(SimStore store, long nanos) {
    store.setDown(true);
    for (Node node : simulation.nodes()) {
      node.lock().breakWatches();
    }
    world.after(nanos, () -> store.setDown(false));
  }
}
