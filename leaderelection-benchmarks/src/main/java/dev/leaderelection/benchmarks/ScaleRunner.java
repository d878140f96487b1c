package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.BenchmarkRunner.LatencyScale;
import dev.leaderelection.benchmarks.BenchmarkRunner.Mode;
import dev.leaderelection.benchmarks.BenchmarkRunner.Results;
import dev.leaderelection.benchmarks.BenchmarkRunner.Scale;
import dev.leaderelection.benchmarks.BenchmarkRunner.Timings;
import dev.leaderelection.testing.ChildJvm;
import dev.leaderelection.testing.GoBinaries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The scale measurements, each in child JVMs against the real API server: the footprint of 1 to
 * 1,000 elections in one JVM, with a real cluster's latency added too, a fleet of three JVMs on the same 1,000 elections, the starter's
 * startup cost, and (in this JVM, with JMH) the cost of an {@code @OnLeader} call.
 */
final class ScaleRunner {

  /** Three JVMs, each a candidate of the same 1,000 elections. */
  static final int FLEET_JVMS = 3;

  private final Mode mode;
  private final KubernetesBackend kubernetes;
  private final Path startupTarget;

  /** {@code startupTarget}: the target directory of {@code leaderelection-benchmarks-startup}. */
  ScaleRunner(Mode mode, KubernetesBackend kubernetes, Path startupTarget) {
    this.mode = mode;
    this.kubernetes = kubernetes;
    this.startupTarget = startupTarget;
  }

  /** A fleet's figures: each JVM's own, and the API server's for all of them. */
  record Fleet(Scale scale, List<Footprint.Result> members, double serverRequestsPerMinute,
      double openWatches) {
  }

  void run(Results results) throws Exception {
    for (Scale scale : mode.footprints) {
      results.footprints.add(footprint(scale));
    }
    latencies(results);
    if (mode == Mode.FULL) {
      results.fleet = Optional.of(fleet(new Scale(1000, BenchmarkRunner.THOUSAND,
          Duration.ofSeconds(120))));
    }
    startup(results);
    results.onLeader = OnLeaderOverhead.measure(mode);
  }

  /** The startup measurement alone (the {@code startup} suite runs only this). */
  void startup(Results results) throws Exception {
    results.startup = Optional.of(StartupTimes.measure(mode, kubernetes, startupTarget));
  }

  /**
   * The footprint rows again with a real cluster's latency added to every API server response
   * (Toxiproxy between the electors and the API server); none without Toxiproxy's server.
   */
  void latencies(Results results) throws Exception {
    Optional<Path> toxiproxy = GoBinaries.find("TOXIPROXY_SERVER", "build-toxiproxy");
    if (toxiproxy.isEmpty()) {
      progress("latency rows skipped: no Toxiproxy server (TOXIPROXY_SERVER, or Go for "
          + ".ci/build-toxiproxy)");
      return;
    }
    try (LatencyProxy proxy = LatencyProxy.start(toxiproxy.get(), kubernetes.kubeconfig(),
        Path.of("target", "latency"))) {
      for (LatencyScale row : mode.latencies) {
        proxy.delayResponses(row.addedMillis());
        Scale scale = row.scale();
        Footprint.Result result = Child.start(scale, proxy.kubeconfig(),
                kubernetes.newNamespace("latency"), "latency").result(scale);
        progress("%d elections (%s) with %d ms added to every response: %s", scale.elections(),
            scale.timings().label(), row.addedMillis(), result);
        results.latencies.add(new LatencyReport.Row(row.addedMillis(), result));
      }
    }
  }

  private Footprint.Result footprint(Scale scale) throws Exception {
    Child child = Child.start(scale, kubernetes.kubeconfig(),
        kubernetes.newNamespace("footprint"), "footprint");
    Footprint.Result result = child.result(scale);
    progress("footprint of %d elections (%s): %s", scale.elections(),
        scale.timings().label(), result);
    return result;
  }

  /**
   * Three JVMs on the same elections: once all are at steady state, the API server's Lease
   * requests per minute (its own traffic, measured before, subtracted) and open Lease watches.
   */
  private Fleet fleet(Scale scale) throws Exception {
    String namespace = kubernetes.newNamespace("fleet");
    ApiRequestCounter server = kubernetes.counter();
    double watchesBefore = server.openLeaseWatches();
    double baseline = perMinute(server, Duration.ofSeconds(20));
    List<Child> children = new ArrayList<>();
    for (int i = 0; i < FLEET_JVMS; i++) {
      children.add(Child.start(scale, kubernetes.kubeconfig(), namespace,
          "fleet-" + (char) ('a' + i)));
    }
    for (Child child : children) {
      child.awaitSteady();
    }
    double openWatches = server.openLeaseWatches() - watchesBefore;
    double perMinute = perMinute(server, scale.window().minusSeconds(30)) - baseline;
    List<Footprint.Result> members = new ArrayList<>();
    for (Child child : children) {
      members.add(child.result(scale));
    }
    progress("fleet of %d JVMs x %d elections: %.0f lease requests/min at the server, %.0f open "
        + "watches, members %s", FLEET_JVMS, scale.elections(), perMinute, openWatches, members);
    return new Fleet(scale, members, perMinute, openWatches);
  }

  private static double perMinute(ApiRequestCounter server, Duration window)
      throws InterruptedException {
    double before = server.leaseRequests();
    long start = System.nanoTime();
    TimeUnit.NANOSECONDS.sleep(window.toNanos());
    return (server.leaseRequests() - before) / ((System.nanoTime() - start) / 60e9);
  }

  static void progress(String format, Object... values) {
    System.out.printf("benchmark: " + format + "%n", values);
  }

  /** One {@link Footprint} JVM, its output read as it comes. */
  private static final class Child {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CountDownLatch steady = new CountDownLatch(1);
    private final Thread reader;

    private Child(Process process) {
      this.process = process;
      reader = new Thread(this::read, "footprint-output");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Scale scale, Path kubeconfig, String namespace, String identity)
        throws IOException {
      Timings timings = scale.timings();
      return new Child(ChildJvm.builder(List.of("-Xmx1g", "-cp",
              System.getProperty("java.class.path"), Footprint.class.getName(),
              kubeconfig.toString(), namespace, Integer.toString(scale.elections()),
              Integer.toString(timings.leaseSeconds()),
              Integer.toString(timings.renewMillis() / 1000),
              Integer.toString(timings.retryMillis() / 1000),
              Long.toString(scale.window().toSeconds()), identity))
          .redirectErrorStream(true).start());
    }

    private void read() {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(process.getInputStream()))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lines.add(line);
          if (line.equals("STEADY")) {
            steady.countDown();
          }
        }
      } catch (IOException e) {
        lines.add("output unreadable: " + e);
      } finally {
        steady.countDown();
      }
    }

    void awaitSteady() throws InterruptedException {
      if (!steady.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("footprint JVM not steady in 5 minutes:\n" + output());
      }
    }

    Footprint.Result result(Scale scale) throws InterruptedException {
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
      reader.join(TimeUnit.SECONDS.toMillis(10)); // the output's last lines
      return lines.stream().filter(line -> line.startsWith("FOOTPRINT ")).findFirst()
          .map(line -> Footprint.Result.parse(line, scale.timings()))
          .orElseThrow(() -> new IllegalStateException("footprint run failed:\n" + output()));
    }

    private String output() {
      return String.join("\n", lines);
    }
  }
}
