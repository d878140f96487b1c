package dev.leaderelection.chaos;

import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.util.Config;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The official Java client's elector (client-java-extended 25.0.0, the newest on Maven Central),
 * run again whenever it returns (it is one-shot). It has no fencing token: the term's token is the
 * Lease's leaderTransitions read when it starts leading (a negative number when that read failed).
 * It leads between its start and stop hooks, as its users' code believes; its start hook runs on
 * a thread of its own, so a start that arrives after its term's stop is ignored. It cannot release
 * on shutdown. Runs only in a candidate JVM on client-java 25's own classpath.
 */
final class ClientJavaElector implements ChaosCandidate.Elector {

  private final ChaosCandidate.Arguments arguments;
  private final LeaseLock lock;
  private volatile long token = Long.MIN_VALUE;
  private volatile boolean closed;
  private volatile LeaderElector running;
  private long unknownTerms;

  ClientJavaElector(ChaosCandidate.Arguments arguments) throws Exception {
    this.arguments = arguments;
    this.lock = new LeaseLock(arguments.namespace(), arguments.lease(), arguments.identity(),
        Config.fromConfig(arguments.kubeconfig()));
  }

  @Override
  public void start(ChaosCandidate.Transitions transitions) {
    LeaderElectionConfig config = new LeaderElectionConfig(lock, arguments.leaseDuration(),
        arguments.renewDeadline(), arguments.retryPeriod());
    Thread loop = new Thread(() -> {
      while (!closed) {
        try (LeaderElector elector = new LeaderElector(config)) {
          running = elector;
          AtomicBoolean stopped = new AtomicBoolean();
          elector.run(() -> began(transitions, stopped), () -> ended(transitions, stopped));
        } catch (RuntimeException e) {
          ChaosCandidate.sleep(arguments.retryPeriod());
        }
      }
    }, "client-java-elector");
    loop.setDaemon(true);
    loop.start();
  }

  private synchronized void began(ChaosCandidate.Transitions transitions, AtomicBoolean stopped) {
    long began = currentTransitions();
    if (!stopped.get()) {
      token = began;
      transitions.began(began);
    }
  }

  private synchronized void ended(ChaosCandidate.Transitions transitions, AtomicBoolean stopped) {
    stopped.set(true);
    long ended = token;
    if (ended != Long.MIN_VALUE) {
      token = Long.MIN_VALUE;
      transitions.ended(ended, "STOPPED");
    }
  }

  private long currentTransitions() {
    try {
      return lock.get().getLeaderTransitions();
    } catch (Exception e) {
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
    LeaderElector current = running;
    if (current != null) {
      current.close();
    }
  }
}
