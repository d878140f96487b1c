package dev.leaderelection.spi;

import dev.leaderelection.LeaseConflictException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Holds an election on two locks at once while it moves from one lock ({@code from}, such as an
 * older elector's ConfigMap or Endpoints lock) to another ({@code to}, such as a Lease), as
 * client-go's former {@code MultiLock} did: every write goes to both, the old lock first, so a candidate leads only while it holds
 * both, and old electors (which read only the old lock) and new ones exclude each other during a
 * rolling update. When the two name different holders, the record shows client-go's
 * {@value #UNKNOWN_LEADER}, which nobody takes over before it has not changed for a lease
 * duration. The fencing token is the larger of the two transition counts, so it keeps growing
 * whichever elector wrote last.
 *
 * <p>Its version joins both objects' versions; a write is conditional on both. Its non-blocking
 * calls make the same two calls in the same order through the locks' non-blocking calls, the
 * second once the first answered; cancelling one cancels whichever call is in flight and makes
 * no further call. It does not watch (followers poll every retry period) while the migration
 * lasts. Thread-safe if both locks are.
 *
 * <p>Kubernetes users get one from {@code KubernetesLocks.migrating}; any two locks of the SPI
 * can be joined this way.
 *
 * @since 0.2.0
 */
public final class MigratingLeaseLock implements LeaseLock {

  /** The holder client-go shows while the two locks name different holders. */
  public static final String UNKNOWN_LEADER = "leaderelection.k8s.io/unknown";

  private static final String ABSENT = "-";
  private static final char SEPARATOR = '|';

  private final LeaseLock from;
  private final LeaseLock to;

  /**
   * The election on both locks.
   *
   * @param from the lock the election moves from, written first
   * @param to the lock it moves to
   */
  public MigratingLeaseLock(LeaseLock from, LeaseLock to) {
    this.from = Objects.requireNonNull(from, "from");
    this.to = Objects.requireNonNull(to, "to");
  }

  @Override
  public Optional<LeaderRecord> get() {
    Optional<LeaderRecord> old = from.get();
    return joinedReads(old, to.get());
  }

  /** Creates the old lock's object, then the Lease (or takes it over if it exists already). */
  @Override
  public LeaderRecord create(LeaderRecord record) {
    LeaderRecord old = from.create(record.withVersion(null));
    return joined(old, writeLease(record, null));
  }

  /** Writes the old lock, then the Lease, each conditional on the version read. */
  @Override
  public LeaderRecord update(LeaderRecord record) {
    Versions read = Versions.of(record, this);
    LeaderRecord old = read.old() == null ? from.create(record.withVersion(null))
        : from.update(record.withVersion(read.old()));
    return joined(old, writeLease(record, read.lease()));
  }

  /** {@link #get()}: the old lock's read, then the Lease's. */
  @Override
  public CompletableFuture<Optional<LeaderRecord>> getAsync() {
    return inTurn(from::getAsync, old -> to.getAsync(), MigratingLeaseLock::joinedReads);
  }

  /** {@link #create}: the old lock's object, then the Lease. */
  @Override
  public CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
    return inTurn(() -> from.createAsync(record.withVersion(null)),
        old -> writeLeaseAsync(record, null), MigratingLeaseLock::joined);
  }

  /** {@link #update}: the old lock, then the Lease, each conditional on the version read. */
  @Override
  public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
    Versions read;
    try {
      read = Versions.of(record, this);
    } catch (LeaseConflictException e) {
      return CompletableFuture.failedFuture(e);
    }
    return inTurn(() -> read.old() == null ? from.createAsync(record.withVersion(null))
            : from.updateAsync(record.withVersion(read.old())),
        old -> writeLeaseAsync(record, read.lease()), MigratingLeaseLock::joined);
  }

  @Override
  public String describe() {
    return to.describe() + " (migrating from " + from.describe() + ")";
  }

  /** The Lease's reference: where the election ends up. */
  @Override
  public LockReference reference() {
    return to.reference();
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * The Lease written: updated at the version read, or created when there was none (a conflict if
   * another candidate created it meanwhile). When this fails after the old lock was written, the
   * two name different holders until a candidate writes both again: nobody leads meanwhile.
   */
  private LeaderRecord writeLease(LeaderRecord record, @Nullable String version) {
    return version != null ? to.update(record.withVersion(version))
        : to.create(record.withVersion(null));
  }

  /** {@link #writeLease} through the Lease's non-blocking calls. */
  private CompletableFuture<LeaderRecord> writeLeaseAsync(LeaderRecord record,
      @Nullable String version) {
    return version != null ? to.updateAsync(record.withVersion(version))
        : to.createAsync(record.withVersion(null));
  }

  /**
   * The first call, then the second made from its answer, joined as one call: a failure of
   * either is the answer; cancelling the answer cancels the call in flight, and the second is
   * not made.
   */
  private static <A, B, R> CompletableFuture<R> inTurn(Supplier<CompletableFuture<A>> first,
      Function<A, CompletableFuture<B>> second, BiFunction<A, B, R> joined) {
    CompletableFuture<R> answer = new CompletableFuture<>();
    CompletableFuture<A> firstCall;
    try {
      firstCall = first.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>(firstCall);
    answer.whenComplete((ignored, failure) -> {
      if (answer.isCancelled()) {
        inFlight.get().cancel(false);
      }
    });
    firstCall.whenComplete((a, failure) -> {
      if (failure != null) {
        answer.completeExceptionally(unwrapped(failure));
        return;
      }
      if (answer.isCancelled()) {
        return;
      }
      CompletableFuture<B> secondCall;
      try {
        secondCall = second.apply(a);
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
        return;
      }
      inFlight.set(secondCall);
      if (answer.isCancelled()) {
        secondCall.cancel(false);
      }
      secondCall.whenComplete((b, secondFailure) -> {
        try {
          if (secondFailure != null) {
            answer.completeExceptionally(unwrapped(secondFailure));
          } else {
            answer.complete(joined.apply(a, b));
          }
        } catch (RuntimeException e) {
          answer.completeExceptionally(e);
        }
      });
    });
    return answer;
  }

  private static @Nullable Throwable unwrapped(@Nullable Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }

  /** One record of both reads, or none when neither lock holds one. */
  private static Optional<LeaderRecord> joinedReads(Optional<LeaderRecord> old,
      Optional<LeaderRecord> lease) {
    if (old.isEmpty() && lease.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(joined(old.orElse(null), lease.orElse(null)));
  }

  /** One record of both: the old one's, with the holder unknown unless both agree. */
  private static LeaderRecord joined(@Nullable LeaderRecord old, @Nullable LeaderRecord lease) {
    LeaderRecord base = old != null ? old : lease;
    if (base == null) {
      throw new IllegalArgumentException("neither lock holds a record");
    }
    String holder = base.holderIdentity();
    if (old != null && lease != null && !old.holderIdentity().equals(lease.holderIdentity())) {
      holder = UNKNOWN_LEADER;
    }
    int transitions = Math.max(old == null ? 0 : old.leaseTransitions(),
        lease == null ? 0 : lease.leaseTransitions());
    return base.toBuilder().holderIdentity(holder).leaseTransitions(transitions)
        .version(version(old) + SEPARATOR + version(lease)).build();
  }

  private static String version(@Nullable LeaderRecord record) {
    return record == null || record.version() == null ? ABSENT : record.version();
  }

  /**
   * The versions of both objects an update is based on, each {@code null} where that object was
   * absent.
   */
  private record Versions(@Nullable String old, @Nullable String lease) {

    /**
     * The versions joined in {@code record}'s.
     *
     * @throws LeaseConflictException when that version was not read from this lock
     */
    static Versions of(LeaderRecord record, MigratingLeaseLock lock) {
      String version = record.version();
      int split = version == null ? -1 : version.indexOf(SEPARATOR);
      if (split < 0) {
        throw new LeaseConflictException(lock.describe() + " cannot be updated from version "
            + version + ", which was not read from it");
      }
      return new Versions(part(version.substring(0, split)), part(version.substring(split + 1)));
    }

    private static @Nullable String part(String version) {
      return version.equals(ABSENT) ? null : version;
    }
  }
}
