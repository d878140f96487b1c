package dev.leaderelection.benchmarks;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.kubernetes.KubernetesLocks;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that runs N elections of this library on N real Leases, sharing one scheduler and
 * one worker pool as the Spring Boot starter does, and prints the threads and heap they add:
 * {@code FOOTPRINT <elections> <threads> <heapBytes> <leading>}. Arguments: kubeconfig, namespace,
 * elections.
 */
public final class Footprint {

  private Footprint() {
  }

  public static void main(String[] args) throws Exception {
    ApiClient client = Config.fromConfig(args[0]);
    String namespace = args[1];
    int elections = Integer.parseInt(args[2]);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    ExecutorService workers = Executors.newCachedThreadPool();
    settle();
    int baseThreads = ManagementFactory.getThreadMXBean().getThreadCount();
    long baseHeap = usedHeap();

    List<LeaderElector> electors = new ArrayList<>();
    for (int i = 0; i < elections; i++) {
      LeaderElector elector = LeaderElector.builder(KubernetesLocks.lease(client, namespace,
              "footprint-" + elections + "-" + i, Duration.ofSeconds(5)), "footprint-" + i)
          .timings(LeaseTimings.DEFAULTS)
          .scheduler(scheduler)
          .executor(workers)
          .callbackExecutor(workers)
          .build();
      elector.start();
      electors.add(elector);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (electors.stream().anyMatch(elector -> !elector.isLeader())
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    TimeUnit.SECONDS.sleep(5);
    settle();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount() - baseThreads;
    long heap = usedHeap() - baseHeap;
    long leading = electors.stream().filter(LeaderElector::isLeader).count();
    System.out.println("FOOTPRINT " + elections + " " + threads + " " + heap + " " + leading);
    electors.forEach(LeaderElector::close);
    System.exit(0);
  }

  private static void settle() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /** One line of a footprint run: what N elections added to an otherwise idle JVM. */
  record Result(int elections, int threads, long heapBytes, long leading) {

    static Result parse(String line) {
      String[] fields = line.split(" ");
      return new Result(Integer.parseInt(fields[1]), Integer.parseInt(fields[2]),
          Long.parseLong(fields[3]), Long.parseLong(fields[4]));
    }
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
