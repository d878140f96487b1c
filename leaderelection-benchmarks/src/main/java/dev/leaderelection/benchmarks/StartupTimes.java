package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.BenchmarkRunner.Mode;
import dev.leaderelection.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the starter adds to an application's startup: the startup probe of
 * {@code leaderelection-benchmarks-startup} started in rounds, each round starting every variant
 * once (in turn, the order reversed every other round, so drift in the machine's load hits all
 * alike; the Lease variants last), each variant on its own classpath written by that module's
 * build: the application without the starter (baseline), with it and the in-memory lock, and
 * with it and a Lease on the API server, each without and with Spring AOP.
 *
 * @param rounds how many times each variant started
 * @param starts each variant's starts, in round order
 * @param load the machine's load average (1 minute) when the rounds began and ended, if known
 */
record StartupTimes(int rounds, Map<String, List<Start>> starts, String load) {

  /** One start's figures (see the probe): wall and main-thread CPU time to ready, classes. */
  record Start(double millis, double cpuMillis, int classes, int blockingRequests) {
  }

  /** The variants, in the order a round starts them and the report lists them. */
  static List<String> variants() {
    return List.of("baseline-no-aop", "in-memory-no-aop", "kubernetes-no-aop", "baseline-aop",
        "in-memory-aop", "kubernetes-aop");
  }

  private static final Pattern LINE = Pattern.compile("STARTUP variant=\\S+ millis=([0-9.]+) "
      + "cpuMillis=([0-9.]+) processCpuMillis=[0-9.]+ classes=([0-9]+) "
      + "blockingRequests=([0-9]+)");

  static boolean aop(String variant) {
    return !variant.endsWith("-no-aop");
  }

  /** The application without the starter that {@code variant} is compared with. */
  static String baseline(String variant) {
    return aop(variant) ? "baseline-aop" : "baseline-no-aop";
  }

  /** The median over the starts of a variant of one figure. */
  double median(String variant, ToDoubleFunction<Start> figure) {
    return quantile(starts.get(variant).stream().mapToDouble(figure).boxed().toList(), 0.5);
  }

  /**
   * What the starter added, paired by round: the quantile {@code q} (0.5: the median) over the
   * rounds of the variant's figure minus the same round's baseline's. Pairing cancels most of
   * what other work on the machine adds to both alike.
   */
  double added(String variant, ToDoubleFunction<Start> figure, double q) {
    List<Start> own = starts.get(variant);
    List<Start> base = starts.get(baseline(variant));
    List<Double> differences = new ArrayList<>();
    for (int round = 0; round < own.size(); round++) {
      differences.add(figure.applyAsDouble(own.get(round))
          - figure.applyAsDouble(base.get(round)));
    }
    return quantile(differences, q);
  }

  /** Requests the main thread made to the API server before ready, over all Lease starts. */
  int blockingRequests() {
    return starts.entrySet().stream().filter(entry -> entry.getKey().startsWith("kubernetes"))
        .flatMap(entry -> entry.getValue().stream()).mapToInt(Start::blockingRequests).sum();
  }

  /**
   * Starts the rounds. {@code startupTarget} is the target directory of
   * {@code leaderelection-benchmarks-startup}: its classes and its classpath files.
   */
  static StartupTimes measure(Mode mode, KubernetesBackend kubernetes, Path startupTarget)
      throws Exception {
    int rounds = mode == Mode.QUICK ? 2 : 15;
    String namespace = kubernetes.newNamespace("startup");
    Map<String, List<Start>> starts = new LinkedHashMap<>();
    variants().forEach(variant -> starts.put(variant, new ArrayList<>()));
    String loadBefore = loadAverage();
    for (int round = 0; round < rounds; round++) {
      List<String> order = new ArrayList<>(variants().stream()
          .filter(variant -> !variant.startsWith("kubernetes")).toList());
      if (round % 2 == 1) {
        Collections.reverse(order);
      }
      // The Lease variants last, then a pause: the API server's work for them (the release,
      // the watches closing) must not slow the next round's first start.
      order.addAll(List.of("kubernetes-no-aop", "kubernetes-aop"));
      for (String variant : order) {
        starts.get(variant).add(start(variant, startupTarget, kubernetes, namespace,
            "startup-" + variant + "-" + round));
      }
      TimeUnit.SECONDS.sleep(2);
    }
    String loadAfter = loadAverage();
    int cores = Runtime.getRuntime().availableProcessors();
    // Each probe keeps about two cores busy (JIT and GC threads beside the main thread), so the
    // load at the end is the run's own; only a load above the cores at the start is other work.
    boolean busy = load(loadBefore) > cores;
    StartupTimes result = new StartupTimes(rounds, starts, loadBefore + " at the start and "
        + loadAfter + " at the end (the probes themselves keep about two cores busy)"
        + (busy ? "; above the " + cores + " cores at the start: other work was running, which "
            + "widens the wall times' spread far beyond a quiet machine's" : ""));
    for (String variant : variants()) {
      ScaleRunner.progress("startup %s over %d starts: median %.0f ms (added %.0f ms), main "
              + "thread CPU %.0f ms (added %.0f ms), %.0f classes", variant, rounds,
          result.median(variant, Start::millis), result.added(variant, Start::millis, 0.5),
          result.median(variant, Start::cpuMillis), result.added(variant, Start::cpuMillis, 0.5),
          result.median(variant, Start::classes));
    }
    return result;
  }

  private static Start start(String variant, Path target, KubernetesBackend kubernetes,
      String namespace, String leaseName) throws IOException, InterruptedException {
    String classpath = target.resolve("classes") + File.pathSeparator + Files.readString(
        target.resolve("classpath-" + (variant.startsWith("baseline") ? "baseline" : "starter")
            + (aop(variant) ? "-aop" : "-no-aop") + ".txt")).trim();
    Process process = ChildJvm.builder(List.of("-Xmx256m",
            "-Duser.home=" + System.getProperty("user.home"), "-cp", classpath,
            "dev.leaderelection.benchmarks.startup.StartupProbe", variant,
            kubernetes.kubeconfig().toString(), namespace, leaseName))
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor(2, TimeUnit.MINUTES);
    Matcher line = LINE.matcher(output);
    if (!line.find()) {
      throw new IllegalStateException("startup probe " + variant + " failed:\n" + output);
    }
    return new Start(Double.parseDouble(line.group(1)), Double.parseDouble(line.group(2)),
        Integer.parseInt(line.group(3)), Integer.parseInt(line.group(4)));
  }

  /** The 1-minute load average, where the system tells it (Linux). */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static double load(String loadAverage) {
    try {
      return Double.parseDouble(loadAverage);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static double quantile(List<Double> values, double q) {
    List<Double> sorted = values.stream().sorted().toList();
    double position = q * (sorted.size() - 1);
    int below = (int) Math.floor(position);
    int above = (int) Math.ceil(position);
    return sorted.get(below) + (sorted.get(above) - sorted.get(below)) * (position - below);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "StartupTimes[rounds=%d, load=%s]", rounds, load);
  }
}
