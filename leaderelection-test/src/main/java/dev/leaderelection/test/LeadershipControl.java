package dev.leaderelection.test;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spring.LeadershipAcquiredEvent;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Makes this instance the leader or a follower of an election on demand, in the application's own
 * tests ({@link AutoConfigureLeadershipControl}). It drives the real elector on its in-memory
 * lock, so everything follows as in production: events, {@code @OnLeader}, leader-scoped
 * lifecycles, health and metrics. Each call returns once the change is complete: after
 * {@link #grant(String)} this instance leads and {@code LeadershipAcquiredEvent} was published;
 * after {@link #revoke(String)} it follows {@link #OTHER_INSTANCE}, its leader work has stopped and
 * {@code LeadershipLostEvent} was published (if it led). Thread-safe; calls for one election are
 * applied one at a time.
 *
 * @since 0.2.0
 */
public final class LeadershipControl
    implements ApplicationListener<LeadershipAcquiredEvent>, Ordered {

  /** The identity that leads while this instance follows. */
  public static final String OTHER_INSTANCE = "another-instance";

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration OTHERS_LEASE = Duration.ofHours(1);

  private final LeaderElections elections;
  private final InMemoryElectionLocks locks;
  private final Map<String, Long> acquiredTokens = new ConcurrentHashMap<>();

  LeadershipControl(LeaderElections elections, InMemoryElectionLocks locks) {
    this.elections = elections;
    this.locks = locks;
  }

  /** Makes this instance the leader of the default election. */
  public void grant() {
    grant(LeaderElections.normalize(""));
  }

  /** Makes this instance a follower of the default election. */
  public void revoke() {
    revoke(LeaderElections.normalize(""));
  }

  /**
   * Makes this instance the leader of {@code election}: the other instance releases the lease,
   * and this one takes it at once with a new fencing token.
   *
   * @throws IllegalArgumentException when the application has no such election
   * @throws IllegalStateException when leadership did not arrive within 30 seconds
   */
  public synchronized void grant(String election) {
    String name = LeaderElections.normalize(election);
    LeaderElector elector = elections.elector(name);
    InMemoryLeaseLock lock = locks.of(name);
    lock.get().filter(record -> !record.holderIdentity().equals(elector.identity()))
        .ifPresent(other -> lock.update(LeaderRecord.builder().holderIdentity("")
            .leaseDuration(Duration.ofSeconds(1)).acquireTime(other.acquireTime())
            .renewTime(Instant.now()).leaseTransitions(other.leaseTransitions())
            .version(other.version()).build()));
    elector.resume();
    await(name + " granted", () -> elector.currentTerm().map(LeaderContext::fencingToken)
        .filter(token -> token.equals(acquiredTokens.get(name))).isPresent());
  }

  /**
   * Makes this instance a follower of {@code election}: when it leads, it yields (its leader work
   * stops and the lease is released), then {@link #OTHER_INSTANCE} holds the lease.
   *
   * @throws IllegalArgumentException when the application has no such election
   * @throws IllegalStateException when the change did not complete within 30 seconds
   */
  public synchronized void revoke(String election) {
    String name = LeaderElections.normalize(election);
    LeaderElector elector = elections.elector(name);
    try {
      elector.pause().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while revoking " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(name + " was not given up within " + WAIT, e);
    }
    InMemoryLeaseLock lock = locks.of(name);
    Instant now = Instant.now();
    Optional<LeaderRecord> current = lock.get();
    LeaderRecord others = LeaderRecord.builder().holderIdentity(OTHER_INSTANCE)
        .leaseDuration(OTHERS_LEASE).acquireTime(now).renewTime(now)
        .leaseTransitions(current.map(record -> record.leaseTransitions() + 1).orElse(0))
        .version(current.map(LeaderRecord::version).orElse(null)).build();
    if (current.isPresent()) {
      lock.update(others);
    } else {
      lock.create(others);
    }
    elector.resume();
    await(name + " revoked",
        () -> elector.leader().filter(OTHER_INSTANCE::equals).isPresent() && !elector.isLeader());
  }

  @Override
  public void onApplicationEvent(LeadershipAcquiredEvent event) {
    acquiredTokens.put(event.election(), event.fencingToken());
  }

  /** After every other listener, so a grant returns once they all have seen the event. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  private static void await(String what, BooleanSupplier done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not done within " + WAIT);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }
}
