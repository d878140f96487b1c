package dev.leaderelection.internal.election;

import dev.leaderelection.Ticker;
import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock that notices a record renewed by someone else under this elector's identity: two
 * processes configured with one identity both believe they lead. Says so at ERROR, at most once
 * a minute, when a read returns a record held under this identity that this elector did not
 * write. Its own writes are told by their renew times: the last {@value #REMEMBERED} claims it
 * sent are remembered, confirmed or not, so neither a write whose answer was lost nor a read
 * answered after a later write was confirmed (a read and a release in flight together, as a
 * group's hand-offs send them) is mistaken for another's. Renew times are compared at the
 * precision the lock stored (microseconds for the Kubernetes locks). Calls pass through
 * unchanged. Thread-safe.
 */
final class SharedIdentityCheck extends ForwardingLeaseLock {

  private static final Logger log = LoggerFactory.getLogger(SharedIdentityCheck.class);

  private final String identity;
  private final LogThrottle throttle;
  /** Claims remembered: far more than an elector ever has in flight at once. */
  static final int REMEMBERED = 32;

  private final Deque<Instant> sent = new ArrayDeque<>();
  private @Nullable LeaderRecord confirmed;

  /**
   * {@code config}'s lock with this check, or without it when coordinated: the coordinator writes
   * this identity into the record, which is no other process using it.
   */
  static LeaseLock unlessCoordinated(ElectionConfig config) {
    return config.candidacy() != null ? config.lock()
        : new SharedIdentityCheck(config.lock(), config.identity(), config.ticker());
  }

  SharedIdentityCheck(LeaseLock lock, String identity, Ticker ticker) {
    super(lock);
    this.identity = identity;
    this.throttle = new LogThrottle(ticker, Duration.ofMinutes(1));
  }

  @Override
  public Optional<LeaderRecord> get() {
    Optional<LeaderRecord> read = delegate().get();
    read.filter(record -> identity.equals(record.holderIdentity())).ifPresent(this::check);
    return read;
  }

  @Override
  public LeaderRecord create(LeaderRecord record) {
    sending(record);
    return confirmed(delegate().create(record));
  }

  @Override
  public LeaderRecord update(LeaderRecord record) {
    sending(record);
    return confirmed(delegate().update(record));
  }

  @Override
  public CompletableFuture<Optional<LeaderRecord>> getAsync() {
    CompletableFuture<Optional<LeaderRecord>> read = delegate().getAsync();
    return cancelling(read, read.thenApply(answer -> {
      answer.filter(record -> identity.equals(record.holderIdentity())).ifPresent(this::check);
      return answer;
    }));
  }

  @Override
  public CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
    sending(record);
    CompletableFuture<LeaderRecord> created = delegate().createAsync(record);
    return cancelling(created, created.thenApply(this::confirmed));
  }

  @Override
  public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
    sending(record);
    CompletableFuture<LeaderRecord> updated = delegate().updateAsync(record);
    return cancelling(updated, updated.thenApply(this::confirmed));
  }

  /** {@code answer}, derived from {@code call}: cancelling it cancels the call. */
  private static <R> CompletableFuture<R> cancelling(CompletableFuture<?> call,
      CompletableFuture<R> answer) {
    answer.whenComplete((ignored, failure) -> {
      if (answer.isCancelled()) {
        call.cancel(true);
      }
    });
    return answer;
  }

  /** A claim (acquire, renew, release or preference) is about to be written. */
  private synchronized void sending(LeaderRecord claim) {
    if (claim.renewTime() != null) {
      if (sent.size() == REMEMBERED) {
        sent.removeFirst();
      }
      sent.addLast(claim.renewTime());
    }
  }

  /** A claim of this elector was stored as {@code stored}. */
  private synchronized LeaderRecord confirmed(LeaderRecord stored) {
    confirmed = stored;
    return stored;
  }

  /** {@code current} holds this identity: was it written by this elector? */
  private void check(LeaderRecord current) {
    synchronized (this) {
      LeaderRecord written = confirmed;
      Instant renewed = current.renewTime();
      if (written == null || renewed == null
          || Objects.equals(current.version(), written.version())
          || renewed.equals(written.renewTime())
          || sent.stream().anyMatch(claim -> storedAs(claim, renewed))) {
        return;
      }
    }
    if (!throttle.allow()) {
      return;
    }
    log.error("{} was renewed by another process under this instance's identity '{}': both "
        + "believe they lead. Give every instance a unique identity.", describe(), identity);
  }

  /** Whether {@code stored} is {@code sent} as a lock storing the precision it shows keeps it. */
  private static boolean storedAs(Instant sent, Instant stored) {
    int nanos = stored.getNano();
    ChronoUnit precision = nanos == 0 ? ChronoUnit.SECONDS
        : nanos % 1_000_000 == 0 ? ChronoUnit.MILLIS
        : nanos % 1_000 == 0 ? ChronoUnit.MICROS : ChronoUnit.NANOS;
    return sent.truncatedTo(precision).equals(stored);
  }
}
