package dev.leaderelection.chaos;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * fabric8's elector, run again whenever it returns (it is one-shot), releasing on cancel. Its
 * terms are {@link PeerTerms}: it leads between its start and stop callbacks, as its users' code
 * believes.
 */
final class Fabric8Elector implements ChaosCandidate.Elector {

  private final ChaosCandidate.Arguments arguments;
  private final KubernetesClient client;
  private volatile boolean closed;
  private volatile CompletableFuture<?> running;
  private volatile PeerTerms terms;

  Fabric8Elector(ChaosCandidate.Arguments arguments) throws Exception {
    this.arguments = arguments;
    this.client = new KubernetesClientBuilder()
        .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(
            Files.readString(Path.of(arguments.kubeconfig()))))
        .build();
  }

  @Override
  public void start(ChaosCandidate.Transitions transitions) {
    terms = new PeerTerms(transitions, () -> client.leases()
        .inNamespace(arguments.namespace()).withName(arguments.lease()).get().getSpec()
        .getLeaseTransitions());
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
    Thread loop = new Thread(() -> {
      while (!closed) {
        running = client.leaderElector().withConfig(config).build().start();
        try {
          running.join();
        } catch (RuntimeException e) {
          ChaosCandidate.sleep(arguments.retryPeriod());
        }
      }
    }, "fabric8-elector");
    loop.setDaemon(true);
    loop.start();
  }

  @Override
  public OptionalLong leadingToken() {
    PeerTerms current = terms;
    return current == null ? OptionalLong.empty() : current.leadingToken();
  }

  @Override
  public void close() {
    closed = true;
    CompletableFuture<?> current = running;
    if (current != null) {
      current.cancel(true);
      ChaosCandidate.sleep(arguments.retryPeriod());
    }
    client.close();
  }
}
