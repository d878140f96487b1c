package dev.leaderelection.kubernetes.coordinated;

import dev.leaderelection.LeaseLockException;

/**
 * The API server does not serve {@code coordination.k8s.io} LeaseCandidates, so coordinated
 * leader election cannot run there: the {@code CoordinatedLeaderElection} feature gate (beta, off
 * by default) is not enabled. The message says how to enable it.
 *
 * @since 0.2.0
 */
public final class CoordinatedElectionUnavailableException extends LeaseLockException {

  CoordinatedElectionUnavailableException(String message) {
    super(message);
  }
}
