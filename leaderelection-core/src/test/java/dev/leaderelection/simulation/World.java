package dev.leaderelection.simulation;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The one event loop of a simulated world: true time in nanoseconds, and events that run in the
 * order of their time, then of their scheduling. Nothing sleeps and nothing else runs: a world is
 * confined to the thread that runs it, and its seed decides everything that happens in it.
 */
final class World {

  /** Something that happens at an instant; cancelled events are skipped. */
  abstract static class Event {
    long time;
    long order;
    boolean cancelled;

    abstract void fire();
  }

  private static final class Action extends Event {
    private final Runnable action;

    Action(Runnable action) {
      this.action = action;
    }

    @Override
    void fire() {
      action.run();
    }
  }

  private final PriorityQueue<Event> queue = new PriorityQueue<>(
      Comparator.comparingLong((Event event) -> event.time)
          .thenComparingLong(event -> event.order));
  private final Runnable afterEvent;
  private long now;
  private long sequence;
  private long fired;

  /** @param afterEvent runs after every event that fired: the invariants */
  World(Runnable afterEvent) {
    this.afterEvent = afterEvent;
  }

  long now() {
    return now;
  }

  /** How many events fired so far. */
  long events() {
    return fired;
  }

  /** Runs {@code action} {@code delayNanos} from now (at once if negative). */
  Event after(long delayNanos, Runnable action) {
    return enqueue(new Action(action), now + Math.max(0, delayNanos));
  }

  /** Enqueues {@code event} at {@code time} (not before now). */
  <E extends Event> E enqueue(E event, long time) {
    event.time = Math.max(time, now);
    event.order = sequence++;
    queue.add(event);
    return event;
  }

  /** Fires every event due until {@code end}, checking after each, then sets the time to it. */
  void runUntil(long end) {
    while (true) {
      Event next = queue.peek();
      if (next == null || next.time > end) {
        break;
      }
      queue.poll();
      if (next.cancelled) {
        continue;
      }
      now = next.time;
      fired++;
      next.fire();
      afterEvent.run();
    }
    now = Math.max(now, end);
  }
}
