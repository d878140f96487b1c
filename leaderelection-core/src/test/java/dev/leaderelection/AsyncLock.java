package dev.leaderelection;

import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A lock that answers its {@code *Async} calls only when the test says so, as a store reached
 * over the network would, on the test's thread; until then each call is pending and holds no
 * thread. Its blocking calls go straight to the delegate. Not thread-safe: one test drives it.
 */
public final class AsyncLock extends ForwardingLeaseLock {

  /** A call the lock has not answered yet. */
  public record Pending(String name, CompletableFuture<Object> future, Supplier<Object> call) {

    /** Answers the call as the delegate does now. */
    public void respond() {
      try {
        future.complete(call.get());
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    }
  }

  private final Deque<Pending> pending = new ArrayDeque<>();
  private boolean answering;

  public AsyncLock(LeaseLock delegate) {
    super(delegate);
  }

  /** From now on, answers every call at once (until {@link #hold()}). */
  void answerAll() {
    answering = true;
    while (!pending.isEmpty()) {
      pending.poll().respond();
    }
  }

  /** From now on, keeps every call pending. */
  void hold() {
    answering = false;
  }

  /** The oldest call not answered yet, removed; fails when there is none. */
  public Pending next() {
    Pending next = pending.poll();
    if (next == null) {
      throw new AssertionError("no call is pending");
    }
    return next;
  }

  int pendingCalls() {
    return pending.size();
  }

  @Override
  public CompletableFuture<Optional<LeaderRecord>> getAsync() {
    return call("get", this::get);
  }

  @Override
  public CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
    return call("create", () -> create(record));
  }

  @Override
  public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
    return call("update", () -> update(record));
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> call(String name, Supplier<T> call) {
    Pending next = new Pending(name, new CompletableFuture<>(), (Supplier<Object>) call);
    if (answering) {
      next.respond();
    } else {
      pending.add(next);
    }
    return (CompletableFuture<T>) (CompletableFuture<?>) next.future();
  }
}
