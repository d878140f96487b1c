package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.LockType;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.MigrateFrom;
import org.jspecify.annotations.Nullable;

/**
 * One election's resolved and validated settings; {@code migrateFrom} is null unless the election
 * moves from an older elector's lock named {@code migrateFromName}, {@code coordination} null
 * unless the API server chooses its leader. {@code identity} is this process's identity in the
 * election: in a coordinated one, the name of its LeaseCandidate.
 */
record ElectionSettings(
    String name,
    String leaseName,
    String namespace,
    LeaseTimings timings,
    boolean releaseOnShutdown,
    LockType lock,
    int priority,
    String propertyPrefix,
    @Nullable MigrateFrom migrateFrom,
    String migrateFromName,
    String identity,
    @Nullable Coordination coordination) {

  /** The bean name of an election's {@code LeaderElector}, as docs/spring-boot.md documents it. */
  static String beanName(String election) {
    return LeaderElectionProperties.DEFAULT_ELECTION.equals(election)
        ? "leaderElector" : election + "LeaderElector";
  }
}
