package dev.leaderelection.benchmarks;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Counts the Lease requests one JVM sends, by kind, as an OkHttp interceptor on its API client:
 * exact, and free of other clients' traffic (the API server's own Leases included).
 */
final class LeaseTraffic implements Interceptor {

  private final LongAdder reads = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder watches = new LongAdder();

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (request.url().encodedPath().contains("/leases")) {
      if ("true".equals(request.url().queryParameter("watch"))) {
        watches.increment();
      } else if ("GET".equals(request.method())) {
        reads.increment();
      } else {
        writes.increment();
      }
    }
    return chain.proceed(request);
  }

  /** Reads, writes (creates and updates) and watches opened so far. */
  long[] counts() {
    return new long[] {reads.sum(), writes.sum(), watches.sum()};
  }
}
