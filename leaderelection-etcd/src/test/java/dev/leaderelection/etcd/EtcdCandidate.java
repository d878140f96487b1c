package dev.leaderelection.etcd;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.testing.ChildJvm;
import java.io.IOException;
import java.util.List;

/**
 * A candidate in a process of its own, for tests that crash one: {@code <endpoint> <key>
 * <identity>}. Prints {@code LEADING <token>} when it leads; runs until killed.
 */
final class EtcdCandidate {

  static final String LEADING = "LEADING ";

  private EtcdCandidate() {
  }

  /** Starts a candidate process with this JVM's class path. */
  static Process start(String endpoint, String key, String identity) throws IOException {
    return ChildJvm.builder(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
            System.getProperty("java.class.path"), EtcdCandidate.class.getName(), endpoint, key,
            identity))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  public static void main(String[] args) throws InterruptedException {
    EtcdLeaseLock lock = EtcdLeaseLock.builder("election").endpoints(args[0]).key(args[1])
        .requestTimeout(EtcdElectors.REQUEST_TIMEOUT).build();
    LeaderElector elector = LeaderElector.builder(lock, args[2])
        .timings(EtcdElectors.TIMINGS)
        .listener(new LeadershipListener() {
          @Override
          public void onStartedLeading(LeaderContext context) {
            System.out.println(LEADING + context.fencingToken());
            System.out.flush();
          }

          @Override
          public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
            System.out.println("STOPPED " + reason);
            System.out.flush();
          }
        })
        .build();
    elector.start();
    Thread.currentThread().join();
  }
}
