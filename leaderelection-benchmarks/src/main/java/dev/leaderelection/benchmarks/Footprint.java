package dev.leaderelection.benchmarks;

import dev.leaderelection.ElectionThreads;
import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.kubernetes.KubernetesLocks;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A child JVM that runs N elections of this library on N real Leases in one namespace, sharing
 * one {@link ElectionThreads} as the Spring Boot starter does, and measures them at steady state
 * (after two first elections that pay the fixed cost of classes, connections, threads and the
 * shared watch, and whose writes the request counts include):
 * once every election has a leader and the acquisition burst is over, it prints {@code STEADY},
 * watches them for a window, and prints one {@code FOOTPRINT key=value ...} line: threads of this
 * library ({@code leader-election-*}, without the listener pool, which keeps no thread while no
 * listener runs, and without the locks' HTTP dispatcher, whose threads are requests in flight)
 * and all threads added by all elections, live heap added (class histogram after a
 * full GC), renewal call time and lateness, missed renewals, terms lost, and the Lease requests
 * this JVM sent per minute by kind. Then the classes that grew most, for whoever wants to shrink
 * the heap.
 *
 * <p>Arguments: kubeconfig, namespace, elections, lease/renew/retry seconds, window seconds,
 * identity prefix; several JVMs with the same elections and different prefixes form a fleet.
 */
public final class Footprint {

  /** Elections that lead their own Leases before the measured ones start. */
  static final int FIRST_ELECTIONS = 2;

  private Footprint() {
  }

  public static void main(String[] args) throws Exception {
    String namespace = args[1];
    int elections = Integer.parseInt(args[2]);
    LeaseTimings timings = LeaseTimings.of(Duration.ofSeconds(Long.parseLong(args[3])),
        Duration.ofSeconds(Long.parseLong(args[4])), Duration.ofSeconds(Long.parseLong(args[5])));
    Duration window = Duration.ofSeconds(Long.parseLong(args[6]));
    String identity = args[7];
    LeaseTraffic traffic = new LeaseTraffic();
    long rounds = window.dividedBy(timings.retryPeriod()) + 2;
    RenewTimes renewals =
        new RenewTimes((int) (elections * rounds), timings.retryPeriod().toNanos());
    ApiClient client = Config.fromConfig(args[0]);
    client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(traffic)
        .addInterceptor(renewals.callerThreadSends()).build());
    KubernetesLocks locks = KubernetesLocks.create(client);
    ElectionThreads shared = ElectionThreads.create(ElectionThreads.DEFAULT_LOCK_CALL_THREADS);
    LongAdder lostTerms = new LongAdder();
    LeadershipListener lost = new LeadershipListener() {
      @Override
      public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
        lostTerms.increment();
      }
    };
    List<LeaderElector> electors = new ArrayList<>(elections);
    // Two elections first, so that the classes, connections, threads and the namespace's shared
    // watch every election needs are counted once (as the fixed cost), and the rows show what
    // each further election adds.
    int emptyThreads = ManagementFactory.getThreadMXBean().getThreadCount();
    HeapHistogram empty = HeapHistogram.take();
    long emptyOwnBytes = empty.ownBytes();
    List<LeaderElector> firsts = new ArrayList<>();
    for (int i = 0; i < FIRST_ELECTIONS; i++) {
      LeaderElector first = LeaderElector.builder(locks.lease(namespace,
              "footprint-first-" + identity + "-" + i, Duration.ofSeconds(5)),
          identity + "-first-" + i).timings(timings).threads(shared).build();
      first.start();
      firsts.add(first);
    }
    awaitLeaders(firsts, timings.retryPeriod().multipliedBy(2).plusSeconds(1));
    HeapHistogram before = HeapHistogram.take();
    long beforeOwnBytes = before.ownBytes();

    for (int i = 0; i < elections; i++) {
      LeaderElector elector = LeaderElector.builder(renewals.timing(locks.lease(namespace,
              "footprint-" + elections + "-" + i, Duration.ofSeconds(5))), identity + "-" + i)
          .timings(timings)
          .threads(shared)
          .listener(lost)
          .build();
      elector.start();
      electors.add(elector);
    }
    awaitLeaders(electors, Duration.ZERO);
    // The acquisition burst (and the listener threads it started) is over after this.
    TimeUnit.NANOSECONDS.sleep(timings.retryPeriod().multipliedBy(2).plusSeconds(11).toNanos());
    System.out.println("STEADY");
    System.out.flush();

    long lostBefore = lostTerms.sum();
    long[] sentBefore = traffic.counts();
    long start = System.nanoTime();
    renewals.start();
    TimeUnit.NANOSECONDS.sleep(window.toNanos());
    RenewTimes.Figures renewed = renewals.stop();
    long[] sent = traffic.counts();
    double minutes = (System.nanoTime() - start) / 60e9;
    long lostDuringWindow = lostTerms.sum() - lostBefore;

    HeapHistogram after = HeapHistogram.take();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("elections", elections);
    figures.put("leading", electors.stream().filter(LeaderElector::isLeader).count());
    figures.put("threads", ManagementFactory.getThreadMXBean().getThreadCount() - emptyThreads);
    figures.put("electionThreads", Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName).filter(name -> name.startsWith("leader-election")
            && !name.startsWith("leader-election-callback")
            && !name.startsWith("leader-election-http")).count());
    String instruments = Footprint.class.getPackageName() + ".";
    figures.put("fixedHeapBytes", empty.addedBy(before, instruments, emptyOwnBytes));
    figures.put("heapBytes", before.addedBy(after, instruments, beforeOwnBytes));
    figures.put("renewals", renewed.renewals());
    figures.put("renewP50Millis", renewed.callP50Millis());
    figures.put("renewP99Millis", renewed.callP99Millis());
    figures.put("lateP99Millis", renewed.lateP99Millis());
    figures.put("missedRenewals", renewed.missed());
    figures.put("renewalsWithoutThread", renewed.withoutThread());
    figures.put("lostTerms", lostDuringWindow);
    figures.put("readsPerMinute", (sent[0] - sentBefore[0]) / minutes);
    figures.put("writesPerMinute", (sent[1] - sentBefore[1]) / minutes);
    figures.put("watchesOpened", sent[2]);
    StringBuilder line = new StringBuilder("FOOTPRINT");
    figures.forEach((key, value) -> line.append(' ').append(key).append('=').append(
        value instanceof Double number ? String.format(Locale.ROOT, "%.2f", number) : value));
    System.out.println(line);
    System.out.print(before.largestGrowth(after, 20));
    System.out.flush();
    electors.forEach(LeaderElector::close);
    firsts.forEach(LeaderElector::close);
    shared.close();
    locks.close();
    System.exit(0);
  }

  /** Waits (up to two minutes) until every elector sees a leader, then {@code settle} more. */
  private static void awaitLeaders(List<LeaderElector> electors, Duration settle)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (electors.stream().anyMatch(elector -> elector.leader().isEmpty())
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    TimeUnit.NANOSECONDS.sleep(settle.toNanos());
  }

  /** One run's figures, parsed from its {@code FOOTPRINT} line. */
  record Result(int elections, BenchmarkRunner.Timings timings, long leading, int threads,
      long electionThreads, long fixedHeapBytes, long heapBytes, long renewals,
      double renewP50Millis, double renewP99Millis,
      double lateP99Millis, long missedRenewals, long renewalsWithoutThread, long lostTerms,
      double readsPerMinute, double writesPerMinute, long watchesOpened) {

    static Result parse(String line, BenchmarkRunner.Timings timings) {
      Map<String, String> values = new LinkedHashMap<>();
      for (String field : line.substring("FOOTPRINT ".length()).split(" ")) {
        String[] pair = field.split("=", 2);
        values.put(pair[0], pair[1]);
      }
      return new Result(Integer.parseInt(values.get("elections")), timings,
          Long.parseLong(values.get("leading")), Integer.parseInt(values.get("threads")),
          Long.parseLong(values.get("electionThreads")),
          Long.parseLong(values.get("fixedHeapBytes")), Long.parseLong(values.get("heapBytes")),
          Long.parseLong(values.get("renewals")), Double.parseDouble(values.get("renewP50Millis")),
          Double.parseDouble(values.get("renewP99Millis")),
          Double.parseDouble(values.get("lateP99Millis")),
          Long.parseLong(values.get("missedRenewals")),
          Long.parseLong(values.get("renewalsWithoutThread")),
          Long.parseLong(values.get("lostTerms")),
          Double.parseDouble(values.get("readsPerMinute")),
          Double.parseDouble(values.get("writesPerMinute")),
          Long.parseLong(values.get("watchesOpened")));
    }

    double heapKibPerElection() {
      return heapBytes / 1024.0 / elections;
    }
  }
}
