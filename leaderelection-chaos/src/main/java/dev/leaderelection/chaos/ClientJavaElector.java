package dev.leaderelection.chaos;

import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The official Java client's elector (client-java-extended 25.0.0, the newest on Maven Central),
 * run again whenever it returns (it is one-shot). Its terms are {@link PeerTerms}; its start hook
 * runs on a thread of its own, so a start that arrives after its term's stop is ignored. It cannot
 * release on shutdown. Runs only in a candidate JVM on client-java 25's own classpath.
 */
final class ClientJavaElector extends PeerElector {

  private final ChaosCandidate.Arguments arguments;
  private final ApiClient client;
  private final LeaseLock lock;
  private volatile LeaderElector running;

  ClientJavaElector(ChaosCandidate.Arguments arguments) throws Exception {
    this.arguments = arguments;
    this.client = Config.fromConfig(arguments.server());
    this.lock = new LeaseLock(arguments.namespace(), arguments.lease(), arguments.identity(),
        client);
  }

  /** The application's traffic on the {@code ApiClient} the elector's lock uses. */
  @Override
  public ApplicationTraffic traffic() {
    return new ApiClientTraffic(client, arguments.namespace());
  }

  @Override
  public void start(ChaosCandidate.Transitions transitions) {
    PeerTerms terms = terms(new PeerTerms(transitions, () -> lock.get().getLeaderTransitions()));
    LeaderElectionConfig config = new LeaderElectionConfig(lock, arguments.leaseDuration(),
        arguments.renewDeadline(), arguments.retryPeriod());
    rerunUntilClosed("client-java-elector", arguments.retryPeriod(), () -> {
      try (LeaderElector elector = new LeaderElector(config)) {
        running = elector;
        AtomicBoolean stopped = new AtomicBoolean();
        elector.run(() -> terms.began(!stopped.get()), () -> {
          stopped.set(true);
          terms.ended();
        });
      }
    });
  }

  @Override
  public void close() {
    markClosed();
    LeaderElector current = running;
    if (current != null) {
      current.close();
    }
  }
}
