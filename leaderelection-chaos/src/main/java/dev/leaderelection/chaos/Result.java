package dev.leaderelection.chaos;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One run's figures, as the report shows them: kept in a file per run, so that runs made by
 * separate commands (a long run of this library, shorter ones of its peers) share one report.
 * Times in milliseconds; -1 where there was nothing to measure.
 */
record Result(String library, String timings, int candidates, int faults, String faultCounts,
    int overlaps, int staleActionsPerformed, int staleActionsAccepted, int tokenRegressions,
    int recoveries, int missedRecoveries, long longestLeaderless, int pauses, long pausedLagP50,
    long pausedLagMax, int crashes, long takeoverFromSignalP50, long takeoverFromSignalP95,
    long takeoverFromRenewMin, long takeoverFromRenewP50, long takeoverFromRenewP95,
    int actions, int pausedBegins, String endReasons, int leaseChanges, String examples) {

  static Result of(String library, String timings, int candidates,
      Map<String, Integer> faultCounts, Map<String, Integer> endReasons,
      Checker.Verdict verdict) {
    return new Result(library, timings, candidates,
        faultCounts.values().stream().mapToInt(Integer::intValue).sum(),
        new java.util.TreeMap<>(faultCounts).toString(), verdict.overlaps(),
        verdict.staleActionsPerformed(), verdict.staleActionsAccepted(),
        verdict.tokenRegressions(), verdict.recoveries(), verdict.missedRecoveries(),
        verdict.longestLeaderlessNanos() / 1_000_000, verdict.pausedLagNanos().size(),
        Checker.percentile(verdict.pausedLagNanos(), 50),
        Checker.percentile(verdict.pausedLagNanos(), 100),
        verdict.takeoverFromSignalNanos().size(),
        Checker.percentile(verdict.takeoverFromSignalNanos(), 50),
        Checker.percentile(verdict.takeoverFromSignalNanos(), 95),
        Checker.percentile(verdict.takeoverFromLastRenewNanos(), 0),
        Checker.percentile(verdict.takeoverFromLastRenewNanos(), 50),
        Checker.percentile(verdict.takeoverFromLastRenewNanos(), 95),
        verdict.actions(), verdict.pausedBegins(), new java.util.TreeMap<>(endReasons).toString(),
        verdict.leaseChanges(), String.join("\n\n", verdict.examples()));
  }

  /** The file name this run's result is kept under in a results folder. */
  String fileName() {
    return library + "-" + timings.replace('/', '-') + ".properties";
  }

  void save(Path folder) throws IOException {
    Properties properties = new Properties();
    for (RecordComponent component : Result.class.getRecordComponents()) {
      try {
        properties.setProperty(component.getName(),
            String.valueOf(component.getAccessor().invoke(this)));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    Files.createDirectories(folder);
    try (Writer out = Files.newBufferedWriter(folder.resolve(fileName()),
        StandardCharsets.UTF_8)) {
      properties.store(out, "one chaos run");
    }
  }

  static Result load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    RecordComponent[] components = Result.class.getRecordComponents();
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      String text = properties.getProperty(components[i].getName());
      Class<?> type = components[i].getType();
      values[i] = type == int.class ? Integer.parseInt(text)
          : type == long.class ? Long.parseLong(text) : text;
    }
    try {
      return Result.class.getDeclaredConstructor(Arrays.stream(components)
          .map(RecordComponent::getType).toArray(Class<?>[]::new)).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("unreadable chaos result " + file, e);
    }
  }

  /** Every result kept in {@code folder}, this library's first. */
  static List<Result> loadAll(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (var files = Files.list(folder)) {
      List<Path> paths = files.filter(path -> path.toString().endsWith(".properties"))
          .sorted().toList();
      List<Result> results = new java.util.ArrayList<>();
      for (Path path : paths) {
        results.add(load(path));
      }
      results.sort(java.util.Comparator.comparing((Result r) -> !r.library()
          .startsWith("leaderelection")).thenComparing(Result::library)
          .thenComparing(Result::timings));
      return results;
    }
  }

  boolean safe() {
    return overlaps == 0 && staleActionsPerformed == 0 && staleActionsAccepted == 0
        && tokenRegressions == 0 && missedRecoveries == 0 && pausedBegins == 0;
  }
}
