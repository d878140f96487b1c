package dev.leaderelection.benchmarks;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.LeaseLock;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.ConfigMapLock;
import io.kubernetes.client.util.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark candidate process: this library's elector or fabric8's. Arguments: library
 * ({@code leaderelection} or {@code fabric8}), kubeconfig, namespace, lease, identity, lease
 * seconds, renew deadline millis, retry period millis, and optionally the lock kind:
 * {@code lease} (the default), for fabric8 {@code configmap}, for this library
 * {@code migrating-configmap} or {@code migrating-endpoints}. Prints {@code LEADING} and
 * {@code FOLLOWING}; on SIGTERM it shuts its elector down, releasing the lease where the library
 * can.
 */
public final class Candidate {

  private Candidate() {
  }

  public static void main(String[] args) throws Exception {
    String library = args[0];
    Path kubeconfig = Path.of(args[1]);
    String namespace = args[2];
    String lease = args[3];
    String identity = args[4];
    Duration leaseDuration = Duration.ofSeconds(Long.parseLong(args[5]));
    Duration renewDeadline = Duration.ofMillis(Long.parseLong(args[6]));
    Duration retryPeriod = Duration.ofMillis(Long.parseLong(args[7]));
    String kind = args.length > 8 ? args[8] : "lease";
    switch (library) {
      case "leaderelection" -> ours(kubeconfig, namespace, lease, identity,
          LeaseTimings.of(leaseDuration, renewDeadline, retryPeriod), kind);
      case "fabric8" -> fabric8(kubeconfig, namespace, lease, identity, leaseDuration,
          renewDeadline, retryPeriod, kind);
      default -> throw new IllegalArgumentException("unknown library " + library);
    }
  }

  private static void ours(Path kubeconfig, String namespace, String lease, String identity,
      LeaseTimings timings, String kind) throws Exception {
    KubernetesLocks locks = KubernetesLocks.create(Config.fromConfig(kubeconfig.toString()));
    Duration timeout = timings.renewDeadline().dividedBy(2);
    LeaseLock lock = switch (kind) {
      case "lease" -> locks.lease(namespace, lease, timeout);
      case "migrating-configmap" -> locks.migrating(locks.configMap(namespace, lease, timeout),
          locks.lease(namespace, lease, timeout));
      case "migrating-endpoints" -> locks.migrating(locks.endpoints(namespace, lease, timeout),
          locks.lease(namespace, lease, timeout));
      default -> throw new IllegalArgumentException("unknown lock kind " + kind);
    };
    LeaderElector elector = LeaderElector.builder(lock, identity)
        .timings(timings)
        .listener(new PrintingListener())
        .build();
    Runtime.getRuntime().addShutdownHook(new Thread(elector::close));
    elector.start();
    System.out.println("READY");
    Thread.currentThread().join();
  }

  private static void fabric8(Path kubeconfig, String namespace, String lease, String identity,
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, String kind)
      throws Exception {
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(
            Files.readString(kubeconfig)))
        .build();
    var config = new LeaderElectionConfigBuilder()
        .withName(lease)
        .withLeaseDuration(leaseDuration)
        .withRenewDeadline(renewDeadline)
        .withRetryPeriod(retryPeriod)
        .withReleaseOnCancel(true)
        .withLock(kind.equals("configmap") ? new ConfigMapLock(namespace, lease, identity)
            : new io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock(
                namespace, lease, identity))
        .withLeaderCallbacks(new LeaderCallbacks(() -> System.out.println("LEADING"),
            () -> System.out.println("FOLLOWING"), newLeader -> { }))
        .build();
    CompletableFuture<?>[] running = new CompletableFuture<?>[1];
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      CompletableFuture<?> current = running[0];
      if (current != null) {
        current.cancel(true);
        try {
          TimeUnit.SECONDS.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }));
    System.out.println("READY");
    while (true) {
      running[0] = client.leaderElector().withConfig(config).build().start();
      try {
        running[0].join();
      } catch (RuntimeException e) {
        TimeUnit.MILLISECONDS.sleep(retryPeriod.toMillis());
      }
    }
  }
}
