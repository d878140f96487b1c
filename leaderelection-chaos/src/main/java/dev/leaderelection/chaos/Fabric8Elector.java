package dev.leaderelection.chaos;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
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
 * fabric8's elector, run again whenever it returns (it is one-shot), releasing on cancel. It has
 * no fencing token: the term's token is the Lease's leaseTransitions read when it starts leading
 * (a negative number when that read failed). It leads between its start and stop callbacks, as
 * its users' code believes.
 */
final class Fabric8Elector implements ChaosCandidate.Elector {

  private final ChaosCandidate.Arguments arguments;
  private final KubernetesClient client;
  private volatile long token = Long.MIN_VALUE;
  private volatile boolean closed;
  private volatile CompletableFuture<?> running;
  private long unknownTerms;

  Fabric8Elector(ChaosCandidate.Arguments arguments) throws Exception {
    this.arguments = arguments;
    this.client = new KubernetesClientBuilder()
        .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(
            Files.readString(Path.of(arguments.kubeconfig()))))
        .build();
  }

  @Override
  public void start(ChaosCandidate.Transitions transitions) {
    LeaderElectionConfig config = new LeaderElectionConfigBuilder()
        .withName(arguments.lease())
        .withLeaseDuration(arguments.leaseDuration())
        .withRenewDeadline(arguments.renewDeadline())
        .withRetryPeriod(arguments.retryPeriod())
        .withReleaseOnCancel(true)
        .withLock(new LeaseLock(arguments.namespace(), arguments.lease(), arguments.identity()))
        .withLeaderCallbacks(new LeaderCallbacks(() -> {
          long began = currentTransitions();
          token = began;
          transitions.began(began);
        }, () -> {
          long ended = token;
          token = Long.MIN_VALUE;
          transitions.ended(ended, "STOPPED");
        }, newLeader -> { }))
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

  private long currentTransitions() {
    try {
      Lease lease = client.leases().inNamespace(arguments.namespace())
          .withName(arguments.lease()).get();
      return lease.getSpec().getLeaseTransitions();
    } catch (RuntimeException e) {
      return -(++unknownTerms);
    }
  }

  @Override
  public OptionalLong leadingToken() {
    long current = token;
    return current == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(current);
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
