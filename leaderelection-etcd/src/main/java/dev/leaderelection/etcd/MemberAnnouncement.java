package dev.leaderelection.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member's announcement: its key, holding its identity, on an etcd lease of its own. The
 * lease is granted with the member TTL and kept alive every third of its TTL; a keep-alive that
 * finds the lease gone (it expired while this member was cut off, or someone revoked it) grants
 * a new one and puts the key again, and every failed call is tried again after
 * {@link #retryDelay}. Closing revokes the lease, so etcd deletes the key at once.
 *
 * <p>Every step runs on the announcement's own thread, the executor's, with jetcd's calls
 * asynchronous, so no step blocks it; only {@link #close()} waits, at most about the request
 * timeout.
 */
final class MemberAnnouncement implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MemberAnnouncement.class);
  private static final Duration LONGEST_RETRY = Duration.ofSeconds(1);

  private final Lease leases;
  private final KV kv;
  private final String key;
  private final ByteSequence keyBytes;
  private final ByteSequence value;
  private final long ttlSeconds;
  private final EtcdCalls calls;
  private final ScheduledExecutorService executor;
  private final Consumer<MemberAnnouncement> onClose;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;
  // Only on the executor's thread:
  private long lease;
  private Duration interval;
  private boolean failing;

  /**
   * @param executor one thread for this announcement, shut down on close
   * @param onClose runs once this announcement has left
   */
  MemberAnnouncement(Lease leases, KV kv, String key, String identity, long ttlSeconds,
      EtcdCalls calls, ScheduledExecutorService executor, Consumer<MemberAnnouncement> onClose) {
    this.leases = leases;
    this.kv = kv;
    this.key = key;
    this.keyBytes = ByteSequence.from(key, StandardCharsets.UTF_8);
    this.value = ByteSequence.from(identity, StandardCharsets.UTF_8);
    this.ttlSeconds = ttlSeconds;
    this.calls = calls;
    this.executor = executor;
    this.onClose = onClose;
    this.interval = keepAliveInterval(ttlSeconds);
  }

  /** How often a lease of {@code ttlSeconds} is kept alive: a third of its TTL. */
  static Duration keepAliveInterval(long ttlSeconds) {
    return Duration.ofSeconds(ttlSeconds).dividedBy(3);
  }

  /** How long to wait before trying a failed call again: the interval, at most a second. */
  static Duration retryDelay(Duration interval) {
    return interval.compareTo(LONGEST_RETRY) < 0 ? interval : LONGEST_RETRY;
  }

  /** Announces on the executor; returns at once. */
  MemberAnnouncement start() {
    executor.execute(this::announce);
    return this;
  }

  /**
   * Leaves: stops keeping the lease alive and revokes it, which deletes the key at once. Waits
   * at most about the request timeout; a failure is logged (the key then goes when the lease
   * expires). Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    CompletableFuture<Void> left = new CompletableFuture<>();
    try {
      executor.execute(() -> leave(left));
      left.get(calls.timeout().toNanos() + LONGEST_RETRY.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException | ExecutionException e) {
      log.debug("{} could not leave", this, e);
    } catch (TimeoutException e) {
      log.warn("{} did not leave within {} ms; its key goes when its lease expires", this,
          calls.timeout().plus(LONGEST_RETRY).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("{} was interrupted while leaving; its key goes when its lease expires", this);
    } finally {
      executor.shutdownNow();
      onClose.accept(this);
    }
  }

  @Override
  public String toString() {
    return "etcd member key " + key;
  }

  private void announce() {
    if (closed) {
      return;
    }
    if (lease != 0) {
      put(lease);
      return;
    }
    calls.callAsync("grant", () -> leases.grant(ttlSeconds), granted -> granted)
        .whenComplete((granted, failure) -> {
          if (failure != null) {
            onExecutor(() -> failed("grant", failure, this::announce));
          } else if (!onExecutor(() -> granted(granted))) {
            revokeQuietly(granted.getID()); // closed meanwhile
          }
        });
  }

  private void granted(LeaseGrantResponse granted) {
    if (closed) {
      revokeQuietly(granted.getID());
      return;
    }
    lease = granted.getID();
    interval = keepAliveInterval(Math.max(1, granted.getTTL()));
    put(lease);
  }

  private void put(long onLease) {
    calls.callAsync("put", () -> kv.put(keyBytes, value,
            PutOption.builder().withLeaseId(onLease).build()), put -> put)
        .whenComplete((put, failure) -> onExecutor(() -> {
          if (closed) {
            return;
          }
          if (failure == null) {
            recovered("announced");
            schedule(this::keepAlive, interval);
          } else if (leaseGone(failure)) {
            lost(onLease);
          } else {
            failed("put", failure, this::announce);
          }
        }));
  }

  private void keepAlive() {
    if (closed) {
      return;
    }
    long current = lease;
    calls.callAsync("keep alive", () -> leases.keepAliveOnce(current),
            alive -> alive)
        .whenComplete((alive, failure) -> onExecutor(() -> kept(current, alive, failure)));
  }

  private void kept(long current, @Nullable LeaseKeepAliveResponse alive,
      @Nullable Throwable failure) {
    if (closed || current != lease) {
      return;
    }
    if (failure == null && alive != null && alive.getTTL() > 0) {
      recovered("kept alive");
      schedule(this::keepAlive, interval);
    } else if (failure == null || leaseGone(failure)) {
      lost(current);
    } else {
      failed("keep alive", failure, this::keepAlive);
    }
  }

  /** The lease expired or was revoked, and the key with it: a new lease, and the key again. */
  private void lost(long gone) {
    log.info("The etcd lease {} of {} is gone (it expired or was revoked); announcing again",
        Long.toHexString(gone), this);
    lease = 0;
    announce();
  }

  private void failed(String operation, Throwable failure, Runnable retry) {
    Throwable cause = unwrap(failure);
    if (!failing) {
      failing = true;
      log.warn("{}: {} failed ({}); trying again every {} ms", this, operation,
          cause.getMessage(), retryDelay(interval).toMillis());
    } else {
      log.debug("{}: {} failed ({})", this, operation, cause.getMessage());
    }
    schedule(retry, retryDelay(interval));
  }

  private void recovered(String what) {
    if (failing) {
      failing = false;
      log.info("{} {} again", this, what);
    }
  }

  private void leave(CompletableFuture<Void> left) {
    long current = lease;
    lease = 0;
    if (current == 0) {
      left.complete(null);
      return;
    }
    calls.callAsync("revoke", () -> leases.revoke(current), revoked -> revoked)
        .whenComplete((revoked, failure) -> {
          if (failure != null && !leaseGone(failure)) {
            log.warn("{} could not leave ({}); its key goes when its lease expires", this,
                unwrap(failure).getMessage());
          }
          left.complete(null);
        });
  }

  private void revokeQuietly(long unused) {
    calls.callAsync("revoke", () -> leases.revoke(unused), revoked -> revoked)
        .whenComplete((revoked, failure) -> {
          if (failure != null) {
            log.debug("{}: an unused lease was not revoked; it expires by itself", this);
          }
        });
  }

  private boolean onExecutor(Runnable task) {
    try {
      executor.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false; // closed
    }
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** Whether a call failed because the lease does not exist (any longer). */
  static boolean leaseGone(Throwable failure) {
    return unwrap(failure) instanceof EtcdLockException etcd && etcd.code().equals("NOT_FOUND");
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }
}
