package dev.leaderelection.internal.election;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * One elector's election, put together from its parts: the loop, its rest, and the listeners'
 * dispatcher. {@link LeaderElector} delegates to it; its methods keep that class's contracts.
 * Public for {@link LeaderElector} alone. Thread-safe.
 */
public final class Election {

  private final ElectionConfig config;
  private final ListenerDispatcher dispatcher;
  private final Rest rest;
  private final ElectionLoop loop;
  private final List<ExecutorService> owned;

  /** @param owned the executors made for this elector alone, shut down when it has closed */
  public Election(ElectionConfig config, List<LeadershipListener> listeners,
      List<ExecutorService> owned) {
    this.config = config;
    this.dispatcher = new ListenerDispatcher(listeners, config.callbackExecutor());
    this.rest = new Rest(config.ticker(), config::standCandidacyAside, config::announceCandidacy);
    this.loop = new ElectionLoop(config, dispatcher, rest);
    this.owned = owned;
  }

  /** @throws IllegalStateException if already started or closed */
  public void start() {
    loop.start();
    rest.announceUnlessAside();
  }

  /** Withdraws a candidacy, closes the loop, then stops the listeners and the own executors. */
  public CompletableFuture<Void> close() {
    return config.withdrawCandidacy().thenCompose(ignored -> loop.close())
        .whenComplete((ignored, failure) -> {
          dispatcher.stop();
          owned.forEach(ExecutorService::shutdown);
        });
  }

  /** Yields the term, if leading, and rests for {@code backOffNanos}. */
  public CompletableFuture<Boolean> yieldFor(long backOffNanos) {
    return loop.yieldTerm(() -> rest.forNanos(backOffNanos));
  }

  /** Rests until resumed, yielding the term first if leading. */
  public CompletableFuture<Boolean> pause() {
    rest.untilResumed();
    return loop.yieldTerm(() -> { });
  }

  /** Ends a pause or a back-off, and competes at once. */
  public void resume() {
    rest.end();
    loop.requestRound();
  }

  public boolean isPaused() {
    return rest.isPaused();
  }

  public Optional<LeaderContext> currentTerm() {
    return loop.currentTerm();
  }

  public Optional<LeaderRecord> observedRecord() {
    return loop.observation().map(Observation::record);
  }

  public Optional<LeaseLockException> lastFailure() {
    return loop.calls().lastFailure();
  }

  public long failingForNanos() {
    return loop.calls().failingForNanos();
  }

  public Optional<LeaseLockException> watchFailure() {
    return loop.watchFailure();
  }

  public Optional<String> check(Duration maxTolerableExpiredLease) {
    return loop.check(maxTolerableExpiredLease);
  }
}
