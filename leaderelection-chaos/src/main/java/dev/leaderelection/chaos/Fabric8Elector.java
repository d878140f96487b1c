package dev.leaderelection.chaos;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * fabric8's elector, run again whenever it returns (it is one-shot), releasing on cancel. Its
 * terms are {@link PeerTerms}: it leads between its start and stop callbacks, as its users' code
 * believes.
 */
final class Fabric8Elector extends PeerElector {

  private final ChaosCandidate.Arguments arguments;
  private final KubernetesClient client;
  private volatile CompletableFuture<?> running;

  Fabric8Elector(ChaosCandidate.Arguments arguments) throws Exception {
    this.arguments = arguments;
    this.client = new KubernetesClientBuilder()
        .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(
            Files.readString(Path.of(arguments.server()))))
        .build();
  }

  /** The application's traffic on the {@code KubernetesClient} the elector uses. */
  @Override
  public ApplicationTraffic traffic() {
    return new Fabric8Traffic(client, arguments.namespace());
  }

  @Override
  public void start(ChaosCandidate.Transitions transitions) {
    PeerTerms terms = terms(new PeerTerms(transitions, () -> client.leases()
        .inNamespace(arguments.namespace()).withName(arguments.lease()).get().getSpec()
        .getLeaseTransitions()));
    LeaderElectionConfig config = new LeaderElectionConfigBuilder()
        .withName(arguments.lease())
        .withLeaseDuration(arguments.leaseDuration())
        .withRenewDeadline(arguments.renewDeadline())
        .withRetryPeriod(arguments.retryPeriod())
        .withReleaseOnCancel(true)
        .withLock(new LeaseLock(arguments.namespace(), arguments.lease(), arguments.identity()))
        .withLeaderCallbacks(new LeaderCallbacks(() -> terms.began(true), () -> terms.ended(),
            newLeader -> { }))
        .build();
    rerunUntilClosed("fabric8-elector", arguments.retryPeriod(), () -> {
      running = client.leaderElector().withConfig(config).build().start();
      running.join();
    });
  }

  @Override
  public void close() {
    markClosed();
    CompletableFuture<?> current = running;
    if (current != null) {
      current.cancel(true);
      ChaosCandidate.sleep(arguments.retryPeriod());
    }
    client.close();
  }
}
