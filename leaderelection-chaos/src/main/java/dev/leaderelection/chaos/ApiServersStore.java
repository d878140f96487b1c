package dev.leaderelection.chaos;

import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The election on a Lease of a control plane of several API servers over one etcd
 * ({@link ApiServers}). Candidates are spread over the API servers round-robin (candidate {@code i}
 * on API server {@code i mod n}; extra candidates on API server 0). API server 0 also carries the
 * harness's own view of the lease (renewals it watches, foreign writes) and takes no fault, so the
 * history's clock of renewals stays true; the faults of {@link #kinds()} hit one of the others: the
 * API server of the targeted candidate, or, when that is API server 0 or already hit in this
 * batch, another. {@link #restart()} (the schedule's {@code etcd-restart}) restarts etcd under
 * every API server. Not thread-safe: the runner drives it.
 */
final class ApiServersStore implements ElectionStore {

  /** API server {@code i} killed while the faults hold, started again as they clear. */
  static final String RESTART = "apiserver-restart";
  /** Everything etcd sends API server {@code i} delayed: its watches lag the others'. */
  static final String ETCD_SLOW = "apiserver-etcd-slow";
  /** API server {@code i} cut from etcd: its requests fail or time out. */
  static final String ETCD_CUT = "apiserver-etcd-cut";
  /** The fault kinds this store injects itself. */
  static List<String> kinds() {
    return List.of(RESTART, ETCD_SLOW, ETCD_CUT);
  }

  private final ApiServers apiServers;
  private final Path workDir;
  private final String namespace;
  private final KubernetesLocks adminLocks;
  private final Duration renewDeadline;
  private final Map<String, Integer> assigned = new HashMap<>();
  /** The API servers a fault holds now: one fault per API server at a time. */
  private final Set<Integer> faulted = new HashSet<>();
  private final List<Held> held = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * A fault one API server held, from when it was injected until it cleared (-1 while it holds),
   * on the host's monotonic clock.
   */
  record Held(String kind, int apiServer, long fromNanos, long toNanos) {

    boolean overlaps(long from, long to) {
      return fromNanos <= to && (toNanos < 0 || toNanos >= from);
    }
  }

  private ApiServersStore(ApiServers apiServers, Path workDir, String namespace,
      KubernetesLocks adminLocks, Duration renewDeadline) {
    this.apiServers = apiServers;
    this.workDir = workDir;
    this.namespace = namespace;
    this.adminLocks = adminLocks;
    this.renewDeadline = renewDeadline;
  }

  /**
   * Starts {@code count} API servers over one etcd under {@code workDir} and creates the run's
   * namespace; {@code renewDeadline} scales the slowed connection's latency.
   */
  static ApiServersStore start(Path workDir, String namespace, int count, Duration renewDeadline)
      throws Exception {
    ApiServers apiServers = ApiServers.start(Binaries.kubeLauncher(), Binaries.toxiproxy(),
        workDir.resolve("control-plane"), count, List.of());
    ApiClient admin = Config.fromConfig(apiServers.kubeconfig(0).toString());
    new CoreV1Api(admin).createNamespace(new V1Namespace().metadata(new V1ObjectMeta()
        .name(namespace))).execute();
    return new ApiServersStore(apiServers, workDir, namespace, KubernetesLocks.create(admin),
        renewDeadline);
  }

  /** API server 0's port: extra candidates' proxies forward there. */
  @Override
  public int port() {
    return apiServers.port(0);
  }

  /** The port of the API server of {@code slot}'s candidate (candidate-i: i mod n). */
  @Override
  public int portFor(String slot) {
    return apiServers.port(apiServerOf(slot));
  }

  /** The API server a slot's candidate uses: {@code candidate-i} on {@code i mod n}, else 0. */
  int apiServerOf(String slot) {
    return assigned.computeIfAbsent(slot, name -> {
      int dash = name.lastIndexOf('-');
      if (!name.startsWith("candidate-") || dash < 0) {
        return 0;
      }
      return Integer.parseInt(name.substring(dash + 1)) % apiServers.count();
    });
  }

  /** The faults the API servers held, each once it cleared. */
  List<Held> held() {
    return List.copyOf(held);
  }

  /**
   * The API server a candidate of {@code identity} uses: its slot's ({@code candidate-i} or a
   * restarted {@code candidate-i.g}); an extra candidate's is 0.
   */
  int apiServerOfIdentity(String identity) {
    int generation = identity.indexOf('.');
    return apiServerOf(generation < 0 ? identity : identity.substring(0, generation));
  }

  /** API server 0's admin kubeconfig with its address changed to the proxy on {@code proxyPort}. */
  @Override
  public String serverFor(int proxyPort) throws IOException {
    return KubernetesStore.proxiedKubeconfig(workDir, apiServers.kubeconfig(0),
        apiServers.port(0), proxyPort);
  }

  @Override
  public String scope() {
    return namespace;
  }

  @Override
  public LeaseLock adminLock() {
    return adminLocks.lease(namespace, ChaosRunner.ELECTION, Duration.ofSeconds(5));
  }

  /** A crash of the one etcd under every API server, started again on the same data and port. */
  @Override
  public void restart() throws Exception {
    apiServers.restartEtcd();
  }

  @Override
  public Optional<Runnable> inject(String kind, String slot, Random random) throws Exception {
    if (!kinds().contains(kind)) {
      return Optional.empty();
    }
    int index = pickApiServer(slot, random);
    faulted.add(index);
    long injected = System.nanoTime();
    switch (kind) {
      case RESTART -> apiServers.kill(index);
      case ETCD_SLOW -> apiServers.slowEtcdLink(index, Duration.ofMillis(200
          + random.nextInt((int) renewDeadline.toMillis())));
      case ETCD_CUT -> apiServers.cutEtcdLink(index);
      default -> throw new IllegalArgumentException(kind);
    }
    return Optional.of(() -> {
      try {
        long clearing = System.nanoTime();
        apiServers.healEtcdLink(index);
        apiServers.ensureRunning(index);
        faulted.remove(index);
        held.add(new Held(kind, index, injected, clearing));
      } catch (Exception e) {
        throw new IllegalStateException("API server " + index + " did not come back (" + kind
            + ")", e);
      }
    });
  }

  /**
   * The targeted candidate's API server, unless it is API server 0 or already faulted; then
   * another one not faulted, else any but 0 (two faults on one API server: the later replaces
   * a slowed connection's latency).
   */
  private int pickApiServer(String slot, Random random) throws IOException {
    int count = apiServers.count();
    if (count < 2) {
      throw new IllegalStateException("API-server faults need at least 2 API servers; API "
          + "server 0 carries the harness's own view");
    }
    int own = apiServerOf(slot);
    if (own != 0 && !faulted.contains(own)) {
      return own;
    }
    List<Integer> free = new java.util.ArrayList<>();
    for (int i = 1; i < count; i++) {
      if (!faulted.contains(i)) {
        free.add(i);
      }
    }
    if (!free.isEmpty()) {
      return free.get(random.nextInt(free.size()));
    }
    int index = 1 + random.nextInt(count - 1);
    apiServers.healEtcdLink(index);
    return index;
  }

  /** The admin kubeconfig of API server {@code index}, straight to it. */
  Path kubeconfig(int index) {
    return apiServers.kubeconfig(index);
  }

  @Override
  public void close() {
    adminLocks.close();
    apiServers.close();
  }
}
