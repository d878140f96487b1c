package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.BenchmarkRunner.Timings;
import dev.leaderelection.etcd.testing.EtcdServer;
import dev.leaderelection.testing.ChildJvm;
import java.util.List;
import java.util.Map;

/**
 * Candidates on one real etcd: this library's elector on an etcd key, and jetcd's own
 * {@code Election} API (see {@link EtcdCandidate}).
 */
final class EtcdBackend implements Backend {

  static final String OURS = "leaderelection-etcd";
  static final String JETCD = "jetcd-election";

  private final EtcdServer server;

  EtcdBackend(EtcdServer server) {
    this.server = server;
  }

  @Override
  public List<String> libraries() {
    return List.of(OURS, JETCD);
  }

  @Override
  public List<String> command(String library, String election, String identity,
      Timings timings) {
    return ChildJvm.command(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), EtcdCandidate.class.getName(), library,
        server.endpoint(), election, identity, Integer.toString(timings.leaseSeconds()),
        Integer.toString(timings.renewMillis()), Integer.toString(timings.retryMillis())));
  }

  /** Every gRPC message etcd received: unary requests, and each message on a stream. */
  @Override
  public double requests() {
    return server.counter("grpc_server_msg_received_total", Map.of());
  }

  @Override
  public String countedBy() {
    return "Counted by etcd (`grpc_server_msg_received_total`: every unary request, and every "
        + "message on a stream, such as a lease keep-alive or a watch's creation).";
  }
}
