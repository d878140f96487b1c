package dev.leaderelection.chaos;

import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.util.Config;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The official Java client's elector (client-java-extended 25.0.0, the newest on Maven Central),
 * run again whenever it returns (it is one-shot). Its terms are {@link PeerTerms}; its start hook
 * runs on a thread of its own, so a start that arrives after its term's stop is ignored. It cannot
 * release on shutdown. Runs only in a candidate JVM on client-java 25's own classpath.
 */
final class ClientJavaElector implements ChaosCandidate.Elector {

  private final ChaosCandidate.Arguments arguments;
  private final LeaseLock lock;
  private volatile boolean closed;
  private volatile LeaderElector running;
  private volatile PeerTerms terms;

  ClientJavaElector(ChaosCandidate.Arguments arguments) throws Exception {
    this.arguments = arguments;
    this.lock = new LeaseLock(arguments.namespace(), arguments.lease(), arguments.identity(),
        Config.fromConfig(arguments.kubeconfig()));
  }

  @Override
  public void start(ChaosCandidate.Transitions transitions) {
    terms = new PeerTerms(transitions, () -> lock.get().getLeaderTransitions());
    LeaderElectionConfig config = new LeaderElectionConfig(lock, arguments.leaseDuration(),
        arguments.renewDeadline(), arguments.retryPeriod());
    Thread loop = new Thread(() -> {
      while (!closed) {
        try (LeaderElector elector = new LeaderElector(config)) {
          running = elector;
          AtomicBoolean stopped = new AtomicBoolean();
          elector.run(() -> terms.began(!stopped.get()), () -> {
            stopped.set(true);
            terms.ended();
          });
        } catch (RuntimeException e) {
          ChaosCandidate.sleep(arguments.retryPeriod());
        }
      }
    }, "client-java-elector");
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
    LeaderElector current = running;
    if (current != null) {
      current.close();
    }
  }
}
