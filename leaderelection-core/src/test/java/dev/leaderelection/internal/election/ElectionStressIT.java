package dev.leaderelection.internal.election;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.CrashableLock;
import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.Ticker;
import dev.leaderelection.internal.Durations;
import dev.leaderelection.spi.InMemoryLeaseLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Eight electors on one watched {@link InMemoryLeaseLock} with real threads and real time,
 * closed (with and without release), crashed (their loop stopped without a word) and restarted
 * at random for a bounded run. A checker puts every term on one monotonic clock and asserts that no two terms
 * overlap, that fencing tokens only grow, and that a new leader follows every loss in time.
 */
class ElectionStressIT {

  private static final LeaseTimings TIMINGS =
      LeaseTimings.of(Duration.ofSeconds(2), Duration.ofMillis(1200), Duration.ofMillis(400));
  private static final Duration RUN = Duration.ofSeconds(30);
  private static final Duration FAILOVER_BOUND =
      TIMINGS.leaseDuration().plus(TIMINGS.retryPeriod().multipliedBy(2));
  private static final int ELECTORS = 8;
  private static final int MIN_ALIVE = 4;

  private final Ticker ticker = Ticker.system();
  private final InMemoryLeaseLock store = new InMemoryLeaseLock("stress");
  private final Queue<Term> terms = new ConcurrentLinkedQueue<>();
  private final List<Loss> losses = new ArrayList<>();
  private final Random random = new Random(42);
  private final ExecutorService executor = Executors.newCachedThreadPool();

  enum Action { CLOSE_AND_RELEASE, CLOSE_WITHOUT_RELEASE, CRASH }

  /** Whether a stop crashes the process or closes it; a close releases as configured. */
  enum Stop { CLOSE, CRASH }

  record Loss(Action action, long atNanos) {
  }

  /** One process: an elector with its own scheduler, and a lock that dies with it. */
  final class Candidate {

    final String identity;
    final CrashableLock lock = new CrashableLock(store);
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final LeaderElector elector;
    final boolean releaseOnClose;
    long restartAtNanos;

    Candidate(String identity, boolean releaseOnClose) {
      this.identity = identity;
      this.releaseOnClose = releaseOnClose;
      this.elector = LeaderElector.builder(lock, identity)
          .timings(TIMINGS)
          .releaseOnClose(releaseOnClose)
          .ticker(ticker)
          .scheduler(scheduler)
          .executor(executor)
          .listener(new LeadershipListener() {
            @Override
            public void onStartedLeading(LeaderContext context) {
              terms.add((Term) context);
            }
          })
          .build();
      elector.start();
    }

    Action stop(Stop stop) {
      if (stop == Stop.CRASH) {
        lock.crash();
        scheduler.shutdownNow();
        return Action.CRASH;
      }
      elector.close();
      scheduler.shutdown();
      return releaseOnClose ? Action.CLOSE_AND_RELEASE : Action.CLOSE_WITHOUT_RELEASE;
    }
  }

  @Test
  void randomClosesCrashesAndRestartsShouldNeverOverlapTermsAndAlwaysElectANewLeader()
      throws InterruptedException {
    List<Optional<Candidate>> slots = new ArrayList<>();
    List<Candidate> stopped = new ArrayList<>();
    for (int i = 0; i < ELECTORS; i++) {
      slots.add(Optional.of(new Candidate("candidate-" + i, random.nextBoolean())));
    }
    long end = ticker.read() + RUN.toNanos();
    int restarts = 0;
    try {
      while (ticker.read() < end) {
        TimeUnit.MILLISECONDS.sleep(700 + random.nextInt(1300));
        restarts += restartDue(slots, stopped);
        List<Integer> alive = aliveSlots(slots);
        if (alive.size() <= MIN_ALIVE) {
          continue;
        }
        int target = pickTarget(slots, alive);
        Candidate victim = slots.get(target).orElseThrow();
        Stop stop = random.nextInt(3) == 0 ? Stop.CRASH : Stop.CLOSE;
        boolean wasLeader = victim.elector.isLeader();
        long at = ticker.read();
        Action action = victim.stop(stop);
        if (wasLeader) {
          losses.add(new Loss(action, at));
        }
        slots.set(target, Optional.empty());
        stopped.add(victim);
        victim.restartAtNanos = ticker.read() + TimeUnit.MILLISECONDS.toNanos(
            300 + random.nextInt(1500));
        if (wasLeader) {
          TimeUnit.NANOSECONDS.sleep(FAILOVER_BOUND.toNanos() + 200_000_000L);
        }
      }
    } finally {
      for (Optional<Candidate> slot : slots) {
        slot.ifPresent(candidate -> candidate.stop(Stop.CLOSE));
      }
      executor.shutdown();
    }

    List<Term> ordered = new ArrayList<>(terms);
    ordered.sort(Comparator.comparingLong(Term::startNanos));
    printSummary(ordered, restarts);
    assertThat(losses).as("leaders lost").hasSizeGreaterThanOrEqualTo(5);
    assertThat(ordered).as("terms").hasSizeGreaterThan(losses.size());
    for (int i = 1; i < ordered.size(); i++) {
      Term previous = ordered.get(i - 1);
      Term next = ordered.get(i);
      assertThat(previous.endNanos()).as("%s ends before %s begins", previous, next)
          .isLessThanOrEqualTo(next.startNanos());
      assertThat(next.fencingToken()).as("token of %s after %s", next, previous)
          .isGreaterThan(previous.fencingToken());
    }
    for (Loss loss : losses) {
      Duration failover = failover(ordered, loss);
      assertThat(failover).as("new leader after %s", loss).isLessThanOrEqualTo(FAILOVER_BOUND);
    }
  }

  private int restartDue(List<Optional<Candidate>> slots, List<Candidate> stopped) {
    int restarted = 0;
    for (int i = 0; i < slots.size(); i++) {
      if (slots.get(i).isPresent()) {
        continue;
      }
      int slot = i;
      Candidate due = stopped.stream()
          .filter(c -> c.identity.startsWith("candidate-" + slot))
          .filter(c -> ticker.read() >= c.restartAtNanos)
          .findFirst().orElse(null);
      if (due != null) {
        stopped.remove(due);
        // A cleanly closed process comes back with its identity; a crashed one as a new pod.
        String identity = due.lock.crashed() ? due.identity + "r" : due.identity;
        slots.set(slot, Optional.of(new Candidate(identity, random.nextBoolean())));
        restarted++;
      }
    }
    return restarted;
  }

  private int pickTarget(List<Optional<Candidate>> slots, List<Integer> alive) {
    if (random.nextInt(10) < 7) {
      for (int slot : alive) {
        if (slots.get(slot).orElseThrow().elector.isLeader()) {
          return slot;
        }
      }
    }
    return alive.get(random.nextInt(alive.size()));
  }

  private static List<Integer> aliveSlots(List<Optional<Candidate>> slots) {
    List<Integer> alive = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      if (slots.get(i).isPresent()) {
        alive.add(i);
      }
    }
    return alive;
  }

  private static Duration failover(List<Term> ordered, Loss loss) {
    return ordered.stream()
        .filter(term -> term.startNanos() > loss.atNanos())
        .findFirst()
        .map(term -> Duration.ofNanos(term.startNanos() - loss.atNanos()))
        .orElse(Duration.ofDays(1));
  }

  private void printSummary(List<Term> ordered, int restarts) {
    System.out.printf("stress: %d terms, %d leader losses, %d restarts, bound %s%n",
        ordered.size(), losses.size(), restarts, Durations.format(FAILOVER_BOUND));
    System.out.printf("%-22s %12s%n", "loss", "new leader");
    for (Loss loss : losses) {
      System.out.printf("%-22s %10d ms%n", loss.action(), failover(ordered, loss).toMillis());
    }
  }
}
