package dev.leaderelection.benchmarks;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.kubernetes.KubernetesLocks;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.util.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark candidate process: this library's elector or fabric8's. Arguments: library
 * ({@code leaderelection} or {@code fabric8}), kubeconfig, namespace, lease, identity, lease
 * seconds, renew deadline millis, retry period millis. Prints {@code LEADING} and
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
    switch (library) {
      case "leaderelection" -> ours(kubeconfig, namespace, lease, identity,
          LeaseTimings.of(leaseDuration, renewDeadline, retryPeriod));
      case "fabric8" -> fabric8(kubeconfig, namespace, lease, identity, leaseDuration,
          renewDeadline, retryPeriod);
      default -> throw new IllegalArgumentException("unknown library " + library);
    }
  }

  private static void ours(Path kubeconfig, String namespace, String lease, String identity,
      LeaseTimings timings) throws Exception {
    KubernetesLocks locks = KubernetesLocks.create(Config.fromConfig(kubeconfig.toString()));
    LeaderElector elector = LeaderElector.builder(
            locks.lease(namespace, lease, timings.renewDeadline().dividedBy(2)), identity)
        .timings(timings)
        .listener(new PrintingListener())
        .build();
    Runtime.getRuntime().addShutdownHook(new Thread(elector::close));
    elector.start();
    System.out.println("READY");
    Thread.currentThread().join();
  }

  private static void fabric8(Path kubeconfig, String namespace, String lease, String identity,
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) throws Exception {
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
        .withLock(new LeaseLock(namespace, lease, identity))
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
