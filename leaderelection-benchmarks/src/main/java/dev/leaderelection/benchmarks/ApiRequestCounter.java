package dev.leaderelection.benchmarks;

import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the requests the API server itself served on leases (its
 * {@code apiserver_request_total} metric), long-running watches excluded.
 */
final class ApiRequestCounter {

  private static final Pattern LINE = Pattern.compile(
      "^apiserver_request_total\\{([^}]*)\\}\\s+([0-9.eE+]+)$", Pattern.MULTILINE);

  private static final Pattern LONG_RUNNING = Pattern.compile(
      "^apiserver_longrunning_requests\\{([^}]*)\\}\\s+([0-9.eE+]+)$", Pattern.MULTILINE);

  private final KubernetesApiServer server;

  ApiRequestCounter(KubernetesApiServer server) {
    this.server = server;
  }

  /** Lease watches open on the server now (its {@code apiserver_longrunning_requests}). */
  double openLeaseWatches() {
    double total = 0;
    Matcher line = LONG_RUNNING.matcher(server.metrics());
    while (line.find()) {
      String labels = line.group(1);
      if (labels.contains("resource=\"leases\"") && labels.contains("verb=\"WATCH\"")) {
        total += Double.parseDouble(line.group(2));
      }
    }
    return total;
  }

  /** Lease writes and Lease requests (WATCH excluded) served so far, read in one scrape. */
  record LeaseCounts(double writes, double requests) {
  }

  /**
   * Lease writes (every verb but GET, LIST and WATCH) and all Lease requests but WATCH, from one
   * read of the metrics, so that both count the same span.
   */
  LeaseCounts leaseCounts() {
    double writes = 0;
    double requests = 0;
    Matcher line = LINE.matcher(server.metrics());
    while (line.find()) {
      String labels = line.group(1);
      if (labels.contains("resource=\"leases\"") && !labels.contains("verb=\"WATCH\"")) {
        double count = Double.parseDouble(line.group(2));
        requests += count;
        if (!labels.contains("verb=\"GET\"") && !labels.contains("verb=\"LIST\"")) {
          writes += count;
        }
      }
    }
    return new LeaseCounts(writes, requests);
  }

  /** Lease requests served so far, other than WATCH. */
  double leaseRequests() {
    double total = 0;
    Matcher line = LINE.matcher(server.metrics());
    while (line.find()) {
      String labels = line.group(1);
      if (labels.contains("resource=\"leases\"") && !labels.contains("verb=\"WATCH\"")) {
        total += Double.parseDouble(line.group(2));
      }
    }
    return total;
  }
}
