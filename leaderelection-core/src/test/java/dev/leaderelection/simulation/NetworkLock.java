package dev.leaderelection.simulation;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One process's client of the simulated server: every call travels the network (delayed, maybe
 * lost), is applied by the server's blocking lock at arrival, and its answer travels back (delayed,
 * maybe lost) to the process, which gives up after its call timeout (below the renew deadline, as
 * real locks do). A write may thus land after the caller gave up. Watches are
 * {@link WatchStream}s on the server's store; a lock without a store to watch does not watch.
 */
final class NetworkLock implements LeaseLock {

  private final World world;
  private final SimProcess process;
  private final int link;
  private final Network network;
  private final LeaseLock server;
  private final @Nullable SimStore watched;
  private final long callTimeoutNanos;
  private final java.util.function.Consumer<LeaderRecord> onSend;
  private final Trace trace;
  private final List<WatchStream> streams = new ArrayList<>();

  /**
   * @param server the server's side of the lock, whose calls are applied at once
   * @param watched the store a watch follows; null when the lock cannot watch
   * @param callTimeoutNanos after how long (on the process's clock) a call fails unanswered
   * @param onSend runs as each call is sent, with the record it writes (null for a read)
   */
  NetworkLock(World world, SimProcess process, int link, Network network, LeaseLock server,
      @Nullable SimStore watched, long callTimeoutNanos,
      java.util.function.Consumer<LeaderRecord> onSend, Trace trace) {
    this.world = world;
    this.process = process;
    this.link = link;
    this.network = network;
    this.server = server;
    this.watched = watched;
    this.callTimeoutNanos = callTimeoutNanos;
    this.onSend = onSend;
    this.trace = trace;
  }

  @Override
  public Optional<LeaderRecord> get() {
    throw new UnsupportedOperationException("the election calls getAsync");
  }

  @Override
  public LeaderRecord create(LeaderRecord record) {
    throw new UnsupportedOperationException("the election calls createAsync");
  }

  @Override
  public LeaderRecord update(LeaderRecord record) {
    throw new UnsupportedOperationException("the election calls updateAsync");
  }

  @Override
  public CompletableFuture<Optional<LeaderRecord>> getAsync() {
    return call("get", null, server::get);
  }

  @Override
  public CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
    return call("create", record, () -> server.create(record));
  }

  @Override
  public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
    return call("update", record, () -> server.update(record));
  }

  @Override
  public Optional<AutoCloseable> watch(RecordWatcher watcher) {
    if (watched == null) {
      return Optional.empty();
    }
    WatchStream stream = new WatchStream(world, process, link, network, watched, watcher, trace);
    streams.add(stream);
    stream.open();
    return Optional.of(stream::close);
  }

  /** Breaks this process's watches; they reconnect after a back-off. */
  void breakWatches() {
    streams.forEach(WatchStream::disconnect);
  }

  @Override
  public String describe() {
    return "simulated lock";
  }

  private <T> CompletableFuture<T> call(String what, @Nullable LeaderRecord sent,
      Supplier<T> apply) {
    onSend.accept(sent);
    trace.add(process.name(), "sends " + what, sent);
    CompletableFuture<T> answer = new CompletableFuture<>();
    Future<?> timeout = process.executor().schedule(() -> {
      if (answer.completeExceptionally(new LeaseLockException("timed out"))) {
        trace.add(process.name(), what + " timed out", null);
      }
    }, callTimeoutNanos, TimeUnit.NANOSECONDS);
    answer.whenComplete((ignored, failure) -> timeout.cancel(false));
    long there = network.delay(link);
    if (there < 0) {
      trace.add(process.name(), what + " request lost", null);
      return answer;
    }
    world.after(there, () -> land(what, apply, answer));
    return answer;
  }

  private <T> void land(String what, Supplier<T> apply, CompletableFuture<T> answer) {
    T result = null;
    RuntimeException failure = null;
    try {
      result = apply.get();
    } catch (RuntimeException e) {
      failure = e;
    }
    trace.add(process.name(), what + " applied", failure != null ? failure.getMessage() : result);
    long back = network.delay(link);
    if (back < 0) {
      trace.add(process.name(), what + " answer lost", null);
      return;
    }
    T answered = result;
    RuntimeException failed = failure;
    process.executor().at(world.now() + back, () -> {
      if (failed != null) {
        answer.completeExceptionally(failed);
      } else {
        answer.complete(answered);
      }
    });
  }
}
