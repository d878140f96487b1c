package dev.leaderelection.benchmarks.clientjava;

import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.Lock;
import io.kubernetes.client.extended.leaderelection.resourcelock.ConfigMapLock;
import io.kubernetes.client.extended.leaderelection.resourcelock.EndpointsLock;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.time.Duration;

/**
 * A benchmark candidate on client-java-extended's LeaderElector. Arguments: kubeconfig,
 * namespace, lease, identity, lease seconds, renew deadline millis, retry period millis, and
 * optionally the lock kind ({@code lease}, the default, {@code configmap} or {@code endpoints}:
 * its older locks, from which users migrate). Prints
 * {@code LEADING} and {@code FOLLOWING}; its elector does not release on shutdown (it has no such
 * option), and {@code run} returns after leadership is lost, so it runs again as users must.
 */
public final class ClientJavaCandidate {

  private ClientJavaCandidate() {
  }

  public static void main(String[] args) throws Exception {
    ApiClient client = Config.fromConfig(args[0]);
    String kind = args.length > 7 ? args[7] : "lease";
    Lock lock = switch (kind) {
      case "lease" -> new LeaseLock(args[1], args[2], args[3], client);
      case "configmap" -> new ConfigMapLock(args[1], args[2], args[3], client);
      case "endpoints" -> new EndpointsLock(args[1], args[2], args[3], client);
      default -> throw new IllegalArgumentException("unknown lock kind " + kind);
    };
    LeaderElectionConfig config = new LeaderElectionConfig(lock,
        Duration.ofSeconds(Long.parseLong(args[4])),
        Duration.ofMillis(Long.parseLong(args[5])),
        Duration.ofMillis(Long.parseLong(args[6])));
    System.out.println("READY");
    while (true) {
      try (LeaderElector elector = new LeaderElector(config)) {
        elector.run(() -> System.out.println("LEADING"), () -> System.out.println("FOLLOWING"));
      }
    }
  }
}
