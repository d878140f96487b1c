package dev.leaderelection.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Measured durations in milliseconds, with the percentiles the report shows. */
final class Distribution {

  private final List<Double> millis = new ArrayList<>();

  void add(double value) {
    millis.add(value);
  }

  List<Double> values() {
    return List.copyOf(millis);
  }

  int count() {
    return millis.size();
  }

  double p50() {
    return percentile(50);
  }

  double p95() {
    return percentile(95);
  }

  double max() {
    return millis.isEmpty() ? Double.NaN : Collections.max(millis);
  }

  /** Nearest-rank percentile. */
  double percentile(int percent) {
    if (millis.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
