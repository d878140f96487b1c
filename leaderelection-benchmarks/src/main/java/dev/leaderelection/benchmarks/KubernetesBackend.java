package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.BenchmarkRunner.Timings;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Candidates on Leases of one real kube-apiserver: this library, the official Java client
 * (its own classpath, from {@code leaderelection-benchmarks-client-java}) and fabric8.
 */
final class KubernetesBackend implements Backend {

  private final Path clientJavaTarget;
  private final Path kubeconfig;
  private final String namespace;
  private final ApiRequestCounter counter;
  private final KubernetesApiServer server;

  KubernetesBackend(KubernetesApiServer server, Path clientJavaTarget) {
    this.server = server;
    this.clientJavaTarget = clientJavaTarget;
    this.kubeconfig = server.kubeconfigFile();
    this.namespace = server.createNamespace("bench");
    this.counter = new ApiRequestCounter(server);
  }

  @Override
  public List<String> libraries() {
    return List.of("leaderelection", "client-java", "fabric8");
  }

  @Override
  public List<String> command(String library, String election, String identity,
      Timings timings) throws IOException {
    return command(library, election, identity, timings, "lease");
  }

  /**
   * The command of a candidate on a lock of {@code kind}: {@code lease}, an older lock
   * ({@code configmap}, {@code endpoints}) for a peer, or {@code migrating-configmap} or
   * {@code migrating-endpoints} for this library.
   */
  List<String> command(String library, String election, String identity, Timings timings,
      String kind) throws IOException {
    List<String> command = new ArrayList<>(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp"));
    if (library.equals("client-java")) {
      command.add(clientJavaTarget.resolve("classes") + File.pathSeparator
          + Files.readString(clientJavaTarget.resolve("classpath.txt")).trim());
      command.add("dev.leaderelection.benchmarks.clientjava.ClientJavaCandidate");
    } else {
      command.add(System.getProperty("java.class.path"));
      command.add(Candidate.class.getName());
      command.add(library);
    }
    command.addAll(List.of(kubeconfig.toString(), namespace, election, identity,
        Integer.toString(timings.leaseSeconds()), Integer.toString(timings.renewMillis()),
        Integer.toString(timings.retryMillis()), kind));
    return ChildJvm.command(command);
  }

  @Override
  public double requests() {
    return counter.leaseRequests();
  }

  @Override
  public String countedBy() {
    return "Counted by the API server (`apiserver_request_total`, resource leases, WATCH "
        + "excluded, the server's own lease traffic subtracted).";
  }

  /** A new namespace, so that one measurement sees no Lease of another. */
  String newNamespace(String prefix) {
    return server.createNamespace(prefix);
  }

  ApiRequestCounter counter() {
    return counter;
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  String namespace() {
    return namespace;
  }
}
