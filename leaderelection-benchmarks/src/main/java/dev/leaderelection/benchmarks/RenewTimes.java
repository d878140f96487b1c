package dev.leaderelection.benchmarks;

import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Interceptor;

/**
 * Times the renewals of many elections: each lock is wrapped so that every update (blocking or
 * not; the elector renews through {@link LeaseLock#updateAsync}) records how
 * long the call took and how long after the previous update of the same lock it was sent (a
 * leader sends one every retry period, so the excess is how late the round ran). Storage is
 * allocated up front, so the heap a footprint measures holds none of it.
 *
 * <p>Whether a renewal held its caller's thread is seen by {@link #callerThreadSends()}, an
 * interceptor on the locks' HTTP client: it runs on the thread that sends the request, which is
 * the caller's only when the call is synchronous. (Whether the returned future is already done
 * says nothing: on a busy machine the response can arrive before the caller looks.)
 */
final class RenewTimes {

  private final long[] callNanos;
  private final long[] lateNanos;
  private final AtomicInteger recorded = new AtomicInteger();
  private final AtomicInteger withoutThread = new AtomicInteger();
  private final long retryNanos;
  private final ThreadLocal<Renewal> inRenewal = new ThreadLocal<>();
  private volatile boolean recording;

  RenewTimes(int capacity, long retryNanos) {
    this.callNanos = new long[capacity];
    this.lateNanos = new long[capacity];
    this.retryNanos = retryNanos;
  }

  /** Starts recording: renewals sent from now on count. */
  void start() {
    recording = true;
  }

  /** Stops recording and returns the figures. */
  Figures stop() {
    recording = false;
    int count = Math.min(recorded.get(), callNanos.length);
    long[] calls = Arrays.copyOf(callNanos, count);
    long[] late = Arrays.copyOf(lateNanos, count);
    Arrays.sort(calls);
    Arrays.sort(late);
    long missed = Arrays.stream(late).filter(nanos -> nanos >= retryNanos).count();
    return new Figures(count, percentile(calls, 0.5), percentile(calls, 0.99),
        percentile(late, 0.99), missed, Math.min(withoutThread.get(), count));
  }

  /**
   * An interceptor for the locks' HTTP client that marks a renewal whose request was sent on the
   * renewing thread itself, that is, a renewal that held its caller while the server answered.
   */
  Interceptor callerThreadSends() {
    return chain -> {
      Renewal renewal = inRenewal.get();
      if (renewal != null) {
        renewal.sentOnCaller = true;
      }
      return chain.proceed(chain.request());
    };
  }

  /** {@code lock}, its updates timed. */
  LeaseLock timing(LeaseLock lock) {
    return new TimedLock(lock);
  }

  /**
   * Renewals recorded; call time p50 and p99; p99 of how late a renewal was sent after its retry
   * period; renewals that came a whole retry period late or more (missed), in milliseconds;
   * renewals whose call returned before the store answered, so that no thread waited for it.
   */
  record Figures(int renewals, double callP50Millis, double callP99Millis,
      double lateP99Millis, long missed, long withoutThread) {
  }

  private static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)]
        / 1e6;
  }

  private void record(long sentNanos, long previousSentNanos, long doneNanos,
      boolean heldNoThread) {
    if (!recording || previousSentNanos == 0) {
      return;
    }
    if (heldNoThread) {
      withoutThread.incrementAndGet();
    }
    int slot = recorded.getAndIncrement();
    if (slot < callNanos.length) {
      callNanos[slot] = doneNanos - sentNanos;
      lateNanos[slot] = Math.max(0, sentNanos - previousSentNanos - retryNanos);
    }
  }

  /** A renewal in progress on the current thread. */
  private static final class Renewal {
    boolean sentOnCaller;
  }

  private final class TimedLock extends ForwardingLeaseLock {

    private volatile long lastSentNanos;

    TimedLock(LeaseLock lock) {
      super(lock);
    }

    @Override
    public LeaderRecord update(LeaderRecord record) {
      long sent = System.nanoTime();
      LeaderRecord stored = delegate().update(record);
      record(sent, lastSentNanos, System.nanoTime(), false);
      lastSentNanos = sent;
      return stored;
    }

    /** Times the lock's non-blocking update, which is what the elector calls. */
    @Override
    public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
      long sent = System.nanoTime();
      long previous = lastSentNanos;
      lastSentNanos = sent;
      Renewal renewal = new Renewal();
      inRenewal.set(renewal);
      CompletableFuture<LeaderRecord> stored;
      try {
        stored = delegate().updateAsync(record);
      } finally {
        inRenewal.remove();
      }
      boolean heldNoThread = !renewal.sentOnCaller;
      stored.thenRun(() -> record(sent, previous, System.nanoTime(), heldNoThread));
      return stored;
    }
  }
}
