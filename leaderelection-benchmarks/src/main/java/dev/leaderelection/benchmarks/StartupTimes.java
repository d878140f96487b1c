package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.BenchmarkRunner.Mode;
import dev.leaderelection.testing.ChildJvm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the starter adds to an application's startup: {@link StartupProbe} processes of each
 * variant, started in turn (so drift of the machine hits all alike), and each variant's median
 * time from {@code SpringApplication.run} to ready.
 *
 * @param medianMillis median start time of each variant: none, in-memory, kubernetes
 * @param blockingRequests API server requests the main thread made before ready, over all
 *     Kubernetes starts (the goal is none: the first round runs after the context is ready)
 */
record StartupTimes(int starts, Map<String, Double> medianMillis, int blockingRequests) {

  /** The variants, in the order they start and are reported. */
  static List<String> variants() {
    return List.of("none", "in-memory", "kubernetes");
  }

  private static final Pattern LINE =
      Pattern.compile("STARTUP variant=\\S+ millis=([0-9.]+) blockingRequests=([0-9]+)");

  double addedMillis(String variant) {
    return medianMillis.get(variant) - medianMillis.get("none");
  }

  double ratio(String variant) {
    return medianMillis.get(variant) / medianMillis.get("none");
  }

  static StartupTimes measure(Mode mode, KubernetesBackend kubernetes) throws Exception {
    int starts = mode == Mode.QUICK ? 2 : 15;
    String namespace = kubernetes.newNamespace("startup");
    Map<String, List<Double>> millis = new LinkedHashMap<>();
    int blocking = 0;
    for (int start = 0; start < starts; start++) {
      for (String variant : variants()) {
        Process process = ChildJvm.builder(List.of("-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), StartupProbe.class.getName(), variant,
                kubernetes.kubeconfig().toString(), namespace, "startup-" + start))
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(2, TimeUnit.MINUTES);
        Matcher line = LINE.matcher(output);
        if (!line.find()) {
          throw new IllegalStateException("startup probe " + variant + " failed:\n" + output);
        }
        millis.computeIfAbsent(variant, key -> new ArrayList<>())
            .add(Double.parseDouble(line.group(1)));
        blocking += Integer.parseInt(line.group(2));
      }
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    millis.forEach((variant, times) -> medians.put(variant, median(times)));
    StartupTimes result = new StartupTimes(starts, medians, blocking);
    ScaleRunner.progress("startup over %d starts each: %s, %d blocking requests", starts,
        medians, blocking);
    return result;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}
