package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.LockType;

/** One election's resolved and validated settings. */
record ElectionSettings(
    String name,
    String leaseName,
    String namespace,
    LeaseTimings timings,
    boolean releaseOnShutdown,
    LockType lock,
    int priority,
    String propertyPrefix) {

  /** The bean name of an election's {@code LeaderElector}, as the README documents it. */
  static String beanName(String election) {
    return LeaderElectionProperties.DEFAULT_ELECTION.equals(election)
        ? "leaderElector" : election + "LeaderElector";
  }
}
