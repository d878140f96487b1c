package dev.leaderelection.internal.election;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.Ticker;
import dev.leaderelection.internal.Identities;
import dev.leaderelection.spi.Candidacy;
import dev.leaderelection.spi.LeaseLock;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything an election loop needs, resolved and validated by {@link LeaderElector.Builder}.
 * Public for {@code dev.leaderelection} alone: the elector holds it, and {@link LeaseTimings}
 * validates with its {@link #JITTER_FACTOR}.
 */
public record ElectionConfig(
    LeaseLock lock,
    String identity,
    LeaseTimings timings,
    int priority,
    @Nullable Candidacy candidacy,
    boolean releaseOnClose,
    Ticker ticker,
    Clock clock,
    ScheduledExecutorService scheduler,
    Executor executor,
    Executor callbackExecutor,
    DoubleSupplier jitter) {

  /**
   * Client-go's {@code JitterFactor}: rounds retry after the retry period stretched by a random
   * factor in [1, 1.2), and {@link LeaseTimings} requires a renew deadline above 1.2 of it.
   */
  public static final double JITTER_FACTOR = 1.2;

  /**
   * Checks the settings the builder takes as they are.
   *
   * @throws IllegalArgumentException naming the setting, its value and the rule it breaks
   */
  public static void validate(String identity, int priority) {
    String problem = Identities.problem(identity);
    if (problem != null) {
      throw new IllegalArgumentException("identity is '" + Identities.printable(identity)
          + "' but " + problem);
    }
    if (priority < 0) {
      throw new IllegalArgumentException("priority is " + priority + " but must be 0 or more");
    }
  }

  /** Announces the candidacy, if coordinated. */
  void announceCandidacy() {
    if (candidacy != null) {
      candidacy.announce();
    }
  }

  /** Stands the candidacy aside, if coordinated, until announced again. */
  void standCandidacyAside() {
    if (candidacy != null) {
      candidacy.standAside();
    }
  }

  /**
   * Withdraws the candidacy, if coordinated, on the lock-call executor; never fails (an elector
   * closed before has withdrawn it already and shut its executor down).
   */
  CompletableFuture<Void> withdrawCandidacy() {
    if (candidacy == null) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      return CompletableFuture.runAsync(candidacy::withdraw, executor)
          .exceptionally(failure -> null);
    } catch (RejectedExecutionException closedBefore) {
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * Where the election's continuations run: on the lock-call executor, never on the scheduler
   * shared by every elector or on a lock's own threads; a task it refuses (shut down) runs on the
   * caller's thread, so the election never stops on a refusal.
   */
  Executor continuations() {
    return task -> {
      try {
        executor.execute(task);
      } catch (RejectedExecutionException refused) {
        task.run();
      }
    };
  }

  long leaseDurationNanos() {
    return timings.leaseDuration().toNanos();
  }

  long renewDeadlineNanos() {
    return timings.renewDeadline().toNanos();
  }

  long retryPeriodNanos() {
    return timings.retryPeriod().toNanos();
  }

  /** The retry period stretched by a random factor in [1, 1.2), so candidates do not collide. */
  long jitteredRetryNanos() {
    double factor = 1 + (JITTER_FACTOR - 1) * jitter.getAsDouble();
    return Math.round(retryPeriodNanos() * factor);
  }
}
