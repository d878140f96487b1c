package dev.leaderelection.kubernetes.events;

import dev.leaderelection.Ticker;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.ObjectApi;
import io.kubernetes.client.common.KubernetesObject;
import dev.leaderelection.kubernetes.LockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the Events of every election and every group's shards of one {@link KubernetesLocks},
 * one at a time, on one daemon thread that exists only while there is something to send; at most
 * {@link #CAPACITY} wait, and more are dropped (and counted) rather than delay anyone. Closing
 * sends what waits for a short while. Thread-safe.
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: public only so that each
 * {@code KubernetesLocks} can own one and make its {@link TransitionEvents}; it may change in any
 * release.
 */
public final class EventSender implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventSender.class);

  static final int CAPACITY = 100;
  /** How long closing waits for queued Events to be sent. */
  static final Duration DRAIN = Duration.ofSeconds(2);

  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(CAPACITY), runnable -> {
        Thread thread = new Thread(runnable, "leader-election-events");
        thread.setDaemon(true);
        return thread;
      });
  private final AtomicLong dropped = new AtomicLong();

  public EventSender() {
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Records Events about {@code object} at each transition, sent by this sender, each call within
   * {@code timeout}; see {@link KubernetesLocks#events}.
   */
  public TransitionEvents transitionEvents(ObjectApi<? extends KubernetesObject> object,
      LockClient client, Duration timeout, Ticker ticker, Clock clock) {
    return new TransitionEvents(object, client, timeout, this, ticker, clock);
  }

  /**
   * Records Events about the object of each shard of {@code group} ({@code objects} gives it) when
   * this replica acquires or loses the shard, sent by this sender, each call within
   * {@code timeout}; see {@link KubernetesLocks#shardEvents}.
   */
  public ShardTransitionEvents shardEvents(String group,
      IntFunction<ObjectApi<? extends KubernetesObject>> objects, LockClient client,
      Duration timeout, Ticker ticker, Clock clock) {
    EventFailures failures = new EventFailures();
    return new ShardTransitionEvents(shard -> new TransitionEvents(objects.apply(shard),
        client, timeout, this, ticker, clock, new TransitionEvents.Shard(group, shard), failures),
        failures);
  }

  /**
   * Queues {@code send}; returns at once, dropping it when the queue is full or closed (the first
   * drop while open is logged).
   */
  void send(Runnable send) {
    try {
      executor.execute(send);
    } catch (RejectedExecutionException full) {
      if (dropped.getAndIncrement() == 0 && !executor.isShutdown()) {
        log.warn("Kubernetes Events are being dropped: {} wait to be sent already (many "
            + "elections or shards changed at once, or the API server answers slowly); "
            + "elections and groups are not affected", CAPACITY);
      }
    }
  }

  /** How many events were dropped because the queue was full or closed. */
  long dropped() {
    return dropped.get();
  }

  /**
   * Sends what waits for at most {@link #DRAIN} (so that the last transitions before a shutdown
   * are recorded), then drops the rest and ends the thread.
   */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
        dropped.addAndGet(executor.shutdownNow().size());
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
