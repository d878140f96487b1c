package dev.leaderelection.chaos;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What the peers' one-shot electors share in a candidate: run again whenever they return, until
 * the candidate closes, and lead as their {@link PeerTerms} say.
 */
abstract class PeerElector implements ChaosCandidate.Elector {

  private volatile PeerTerms terms;
  private volatile boolean closed;

  /** Starts the terms' bookkeeping; before any election runs. */
  final PeerTerms terms(PeerTerms started) {
    terms = started;
    return started;
  }

  /** Runs {@code once} again and again on a daemon thread until closed, pausing after a failure. */
  final void rerunUntilClosed(String name, Duration retryPeriod, Runnable once) {
    Thread loop = new Thread(() -> {
      while (!closed) {
        try {
          once.run();
        } catch (RuntimeException e) {
          ChaosCandidate.sleep(retryPeriod);
        }
      }
    }, name);
    loop.setDaemon(true);
    loop.start();
  }

  /** Stops running the elector again; subclasses end the one running. */
  final void markClosed() {
    closed = true;
  }

  @Override
  public final OptionalLong leadingToken() {
    PeerTerms current = terms;
    return current == null ? OptionalLong.empty() : current.leadingToken();
  }
}
