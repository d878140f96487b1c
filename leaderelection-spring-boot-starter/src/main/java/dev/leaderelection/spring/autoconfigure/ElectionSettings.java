package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaseTimings;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.MigrateFrom;
import org.jspecify.annotations.Nullable;

/**
 * One election's resolved and validated settings, the one value between its properties and its
 * elector's builder. {@code lock} is the backend's name as configured ({@code auto} included);
 * {@code migrateFrom} is null unless the election moves from an older elector's lock named
 * {@code migrateFromName}; {@code coordination} null unless the API server chooses its leader.
 * {@code identity} is this process's identity in the election: in a coordinated one, the name of
 * its LeaseCandidate. {@code properties} tells which property each value came from.
 */
record ElectionSettings(
    String name,
    String leaseName,
    String namespace,
    LeaseTimings timings,
    boolean releaseOnShutdown,
    String lock,
    int priority,
    boolean events,
    @Nullable MigrateFrom migrateFrom,
    String migrateFromName,
    String identity,
    @Nullable Coordination coordination,
    ElectionProperties properties) {

  /** The property that gave the value of {@code relativeName}, such as {@code lock}. */
  String property(String relativeName) {
    return properties.source(relativeName);
  }

  /** The bean name of an election's {@code LeaderElector}, as docs/spring-boot.md documents it. */
  static String beanName(String election) {
    return LeaderElectionProperties.DEFAULT_ELECTION.equals(election)
        ? "leaderElector" : election + "LeaderElector";
  }
}
