package dev.leaderelection.benchmarks;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.kubernetes.KubernetesLocks;
import io.kubernetes.client.util.Config;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that runs N elections of this library on N real Leases in one namespace, sharing
 * one {@link ElectionThreads} as the Spring Boot starter does, and prints what they add to an idle
 * JVM once all lead and the listener threads of the acquisition burst retired:
 * {@code FOOTPRINT <elections> <threads> <electionThreads> <heapBytes> <leading>}, where election
 * threads are this library's ({@code leader-election-*}) and the rest are the HTTP client's.
 * Arguments: kubeconfig, namespace, elections.
 */
public final class Footprint {

  private Footprint() {
  }

  public static void main(String[] args) throws Exception {
    KubernetesLocks locks = KubernetesLocks.create(Config.fromConfig(args[0]));
    String namespace = args[1];
    int elections = Integer.parseInt(args[2]);
    ElectionThreads shared = ElectionThreads.create(ElectionThreads.DEFAULT_LOCK_CALL_THREADS);
    settle();
    int baseThreads = ManagementFactory.getThreadMXBean().getThreadCount();
    long baseHeap = usedHeap();

    List<LeaderElector> electors = new ArrayList<>();
    for (int i = 0; i < elections; i++) {
      LeaderElector elector = LeaderElector.builder(locks.lease(namespace,
              "footprint-" + elections + "-" + i, Duration.ofSeconds(5)), "footprint-" + i)
          .timings(LeaseTimings.DEFAULTS)
          .threads(shared)
          .build();
      elector.start();
      electors.add(elector);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (electors.stream().anyMatch(elector -> !elector.isLeader())
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    TimeUnit.SECONDS.sleep(15);
    settle();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount() - baseThreads;
    long electionThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("leader-election")).count();
    long heap = usedHeap() - baseHeap;
    long leading = electors.stream().filter(LeaderElector::isLeader).count();
    System.out.println("FOOTPRINT " + elections + " " + threads + " " + electionThreads + " "
        + heap + " " + leading);
    electors.forEach(LeaderElector::close);
    shared.close();
    System.exit(0);
  }

  private static void settle() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /** One line of a footprint run: what N elections added to an otherwise idle JVM. */
  record Result(int elections, int threads, long electionThreads, long heapBytes,
      long leading) {

    static Result parse(String line) {
      String[] fields = line.split(" ");
      return new Result(Integer.parseInt(fields[1]), Integer.parseInt(fields[2]),
          Long.parseLong(fields[3]), Long.parseLong(fields[4]), Long.parseLong(fields[5]));
    }
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
