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

  boolean isDefault() {
    return LeaderElectionProperties.DEFAULT_ELECTION.equals(name);
  }

  /** The bean name of this election's {@code LeaderElector}. */
  String beanName() {
    return beanName(name);
  }

  static String beanName(String election) {
    return LeaderElectionProperties.DEFAULT_ELECTION.equals(election)
        ? "leaderElector" : election + "LeaderElector";
  }
}
