package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.BenchmarkRunner.Timings;
import java.io.IOException;
import java.util.List;

/** Where candidates elect: how each library's candidate starts, and how the server counts. */
interface Backend {

  /** The libraries compared on this backend, this library first. */
  List<String> libraries();

  /** The command that starts one candidate of {@code library} in {@code election}. */
  List<String> command(String library, String election, String identity, Timings timings)
      throws IOException;

  /** The requests the server has counted so far, as {@link #countedBy()} says. */
  double requests();

  /** What {@link #requests()} counts, for the report. */
  String countedBy();
}
