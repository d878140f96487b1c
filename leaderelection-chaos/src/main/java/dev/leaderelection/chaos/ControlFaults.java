package dev.leaderelection.chaos;

import dev.leaderelection.LeaseTimings;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The faults that use this library's own operations, sent down a candidate's
 * {@link ControlChannel}: {@code yield} (a back-off from 0 to twice the lease duration),
 * {@code pause-flap} ({@code pause()}, then {@code resume()} after 0 ms to 3 s) and
 * {@code slow-stop} (from then on, until the candidate restarts, its leader work takes up to the
 * renew deadline to stop). It keeps track of which candidates rest after a yield, so that a batch
 * never counts on one of them to recover. The peers' electors have no such operations. Used by
 * the runner's thread only.
 */
final class ControlFaults {


  /** The longest pause of a flap. */
  static final Duration LONGEST_FLAP = Duration.ofSeconds(3);

  /** What an injected control fault needs of the batch. */
  record Injected(long holdAtLeastMillis, Runnable clearing) {
  }

  private final LeaseTimings timings;
  private final Random random;
  /** By slot: when the candidate's yield back-off ends, on {@code System.nanoTime()}. */
  private final Map<String, Long> restingUntil = new HashMap<>();

  ControlFaults(LeaseTimings timings, Random random) {
    this.timings = timings;
    this.random = random;
  }

  /** The fault kinds this class injects. */
  static Set<String> kinds() {
    return Set.of("yield", "pause-flap", "slow-stop");
  }

  static boolean handles(String kind) {
    return kinds().contains(kind);
  }

  /** Whether the candidate of {@code slot} still rests after a yield (it does not compete). */
  boolean resting(String slot) {
    Long until = restingUntil.get(slot);
    return until != null && until - System.nanoTime() > 0;
  }

  /** The candidate of {@code slot} is a new process: it does not rest (nor stop slowly). */
  void restarted(String slot) {
    restingUntil.remove(slot);
  }

  /** Sends {@code kind} to the candidate of {@code slot}. */
  Injected inject(String kind, String slot, Candidate candidate) throws IOException {
    switch (kind) {
      case "yield" -> {
        long backOff = random.nextInt(4) == 0 ? 0
            : 1 + random.nextInt((int) timings.leaseDuration().toMillis() * 2);
        candidate.send("YIELD " + backOff);
        restingUntil.put(slot, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backOff));
        return new Injected(0, () -> { });
      }
      case "pause-flap" -> {
        long flap = flapMillis();
        candidate.send("PAUSE");
        if (flap == 0) {
          candidate.send("RESUME");
          restingUntil.remove(slot);
          return new Injected(0, () -> { });
        }
        CompletableFuture<Void> resumed = CompletableFuture.runAsync(() -> {
          try {
            candidate.send("RESUME");
          } catch (IOException e) {
            // the candidate was killed meanwhile: nothing to resume
          }
        }, CompletableFuture.delayedExecutor(flap, TimeUnit.MILLISECONDS));
        return new Injected(flap, () -> {
          resumed.join();
          restingUntil.remove(slot);
        });
      }
      case "slow-stop" -> {
        long stopping = random.nextInt((int) timings.renewDeadline().toMillis() + 1);
        candidate.send("STOP-WORK " + stopping);
        return new Injected(0, () -> { });
      }
      default -> throw new IllegalArgumentException(kind);
    }
  }

  /** A third of flaps 0 ms, a third under 50 ms, a third up to {@link #LONGEST_FLAP}. */
  private long flapMillis() {
    return switch (random.nextInt(3)) {
      case 0 -> 0;
      case 1 -> 1 + random.nextInt(49);
      default -> 50 + random.nextInt((int) LONGEST_FLAP.toMillis() - 49);
    };
  }
}
