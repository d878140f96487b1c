package dev.leaderelection.simulation;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.RecordWatcher;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One process's watch on a store: connects after a network delay and delivers the current record,
 * then every change with a lag; now and then a change arrives twice, or before the one applied
 * just before it. It disconnects when told (or finds the store down), reports {@code broken}, and
 * reconnects after a back-off. Every call on the watcher runs as a task of the process.
 */
final class WatchStream implements Consumer<Optional<LeaderRecord>> {

  private static final long MS = 1_000_000L;

  private final World world;
  private final SimProcess process;
  private final int link;
  private final Network network;
  private final SimStore store;
  private final RecordWatcher watcher;
  private final Trace trace;
  private int generation;
  private boolean up;
  private boolean closed;
  private long lastDelivery;

  WatchStream(World world, SimProcess process, int link, Network network, SimStore store,
      RecordWatcher watcher, Trace trace) {
    this.world = world;
    this.process = process;
    this.link = link;
    this.network = network;
    this.store = store;
    this.watcher = watcher;
    this.trace = trace;
  }

  /** Connects after a network delay; a store that is down breaks the attempt. */
  void open() {
    int attempt = generation;
    world.after(Math.max(MS, network.watchLag(link)), () -> {
      if (closed || attempt != generation || process.crashed()) {
        return;
      }
      if (store.down()) {
        generation++;
        toProcess(() -> watcher.broken(new LeaseLockException(store.name() + " is unavailable")));
        reconnectLater();
        return;
      }
      up = true;
      store.addStream(this);
      Optional<LeaderRecord> current = Optional.ofNullable(store.record());
      int connected = generation;
      deliver(connected, () -> {
        watcher.connected();
        current.ifPresent(record -> watcher.changed(current));
      });
    });
  }

  /** Takes the watch down (a reset connection): pending deliveries are dropped. */
  void disconnect() {
    if (!up || closed) {
      return;
    }
    up = false;
    generation++;
    store.removeStream(this);
    trace.add(process.name(), "watch broken", null);
    toProcess(() -> watcher.broken(new LeaseLockException("watch connection reset")));
    reconnectLater();
  }

  void close() {
    closed = true;
    up = false;
    store.removeStream(this);
  }

  /** A change applied by the store, delivered after a lag. */
  @Override
  public void accept(Optional<LeaderRecord> change) {
    if (!up || closed) {
      return;
    }
    if (store.down()) {
      disconnect();
      return;
    }
    int current = generation;
    deliver(current, () -> watcher.changed(change));
    if (network.chance(0.02)) {
      deliver(current, () -> watcher.changed(change));
    }
  }

  private void deliver(int expected, Runnable call) {
    long at = world.now() + network.watchLag(link);
    if (!network.chance(0.02)) {
      at = Math.max(at, lastDelivery);
    }
    lastDelivery = Math.max(lastDelivery, at);
    process.executor().at(at, () -> {
      if (expected == generation && !closed) {
        call.run();
      }
    });
  }

  private void toProcess(Runnable call) {
    process.executor().execute(() -> {
      if (!closed) {
        call.run();
      }
    });
  }

  private void reconnectLater() {
    long backOff = network.random().nextLong(500 * MS, 3000 * MS);
    world.after(backOff, this::open);
  }
}
