package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.Candidacy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A candidacy whose API server did not answer at startup: from {@link #announce()} on, it asks
 * again ({@code discover}) after 1 s, doubling up to 30 s, on a daemon thread of its own, and
 * announces the candidacy it gets. Until then {@link #failure()} is the last failure to ask, and
 * the elector, which never takes the Lease itself, does not lead. Thread-safe.
 */
final class DeferredCandidacy implements Candidacy {

  private static final Logger log = LoggerFactory.getLogger(DeferredCandidacy.class);

  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

  private final Supplier<Candidacy> discover;
  private final String description;
  private volatile @Nullable LeaseLockException failure;
  private volatile @Nullable Candidacy discovered;
  private @Nullable ScheduledExecutorService thread;
  private boolean withdrawn;
  private boolean standingAside;
  private Duration delay = FIRST_RETRY;

  /**
   * @param discover asks the API server for the candidacy; throws {@link LeaseLockException}
   * @param description what the candidacy is, until it is discovered
   * @param failure why the API server could not be asked at startup
   */
  DeferredCandidacy(Supplier<Candidacy> discover, String description,
      LeaseLockException failure) {
    this.discover = discover;
    this.description = description;
    this.failure = failure;
  }

  @Override
  public void announce() {
    Candidacy announced;
    synchronized (this) {
      standingAside = false;
      announced = discovered;
      if (announced == null) {
        start();
        return;
      }
    }
    announced.announce();
  }

  @Override
  public void standAside() {
    Candidacy announced;
    synchronized (this) {
      standingAside = true;
      announced = discovered;
    }
    if (announced != null) {
      announced.standAside();
    }
  }

  /** Starts asking for the candidacy, unless withdrawn or already asking. */
  private synchronized void start() {
    if (withdrawn || thread != null) {
      return;
    }
    thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread named = new Thread(runnable, "leader-election-candidate " + description);
      named.setDaemon(true);
      return named;
    });
    thread.execute(this::attempt);
  }

  private void attempt() {
    Candidacy candidacy;
    try {
      candidacy = discover.get();
    } catch (LeaseLockException e) {
      LeaseLockException previous = failure;
      if (previous == null || previous.getClass() != e.getClass()) {
        log.warn("{} is not announced yet, retrying: {}", description, e.getMessage());
      }
      failure = e;
      retryLater();
      return;
    }
    synchronized (this) {
      if (!withdrawn) {
        discovered = candidacy;
        failure = null;
        if (!standingAside) {
          candidacy.announce();
        }
        thread.shutdown();
        return;
      }
    }
    candidacy.withdraw(); // withdrawn while asking: release what asking made
  }

  private synchronized void retryLater() {
    try {
      if (!withdrawn) {
        thread.schedule(this::attempt, delay.toNanos(), TimeUnit.NANOSECONDS);
        delay = delay.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY
            : delay.multipliedBy(2);
      }
    } catch (RejectedExecutionException withdrawnMeanwhile) {
      // nothing more to do
    }
  }

  @Override
  public boolean isPreferenceStale(String identity) {
    Candidacy announced = discovered;
    return announced != null && announced.isPreferenceStale(identity);
  }

  @Override
  public Optional<String> stall() {
    Candidacy announced = discovered;
    return announced == null ? Optional.empty() : announced.stall();
  }

  @Override
  public void withdraw() {
    Candidacy announced;
    synchronized (this) {
      withdrawn = true;
      if (thread != null) {
        thread.shutdownNow();
      }
      announced = discovered;
    }
    if (announced != null) {
      announced.withdraw();
    }
  }

  @Override
  public Optional<LeaseLockException> failure() {
    Candidacy announced = discovered;
    return announced != null ? announced.failure() : Optional.ofNullable(failure);
  }

  @Override
  public String describe() {
    Candidacy announced = discovered;
    return announced != null ? announced.describe() : description + " (not announced yet)";
  }
}
