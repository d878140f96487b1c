package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.internal.Durations;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * Leader election settings, under {@code leader-election}: generic ones at the top level,
 * Kubernetes ones under {@code kubernetes}, the etcd connection under {@code etcd}. Named
 * elections under {@code leader-election.elections.<name>} take the same election settings (the
 * lease name, the timings, {@code release-on-shutdown}, {@code lock}, {@code priority} and
 * {@code kubernetes.*}), and every one they leave unset is the top level's, except the lease
 * name and the migration's old object name, which default to the election's name. Sharded
 * groups under {@code leader-election.groups.<name>} take {@code shards} and the same timings,
 * {@code lock} and {@code kubernetes.namespace}. Durations
 * take a unit ({@code 15s}, {@code 500ms}, {@code PT15S}); a bare number means seconds, as for
 * Spring Boot's session timeouts.
 *
 * @param enabled Whether to elect a leader at all; false turns every bean of this starter off,
 *     including the @OnLeader guard
 * @param leaseName The name of the Lease (or ConfigMap, or etcd key) that holds the default
 *     election; a valid Kubernetes name. Without it, only named elections are held
 * @param identity This instance's identity in every election; defaults to POD_NAME (or HOSTNAME,
 *     or the host name) followed by "_" and 8 random hex digits, so no two processes share one
 * @param leaseDuration How long followers wait, after they last saw the lease change, before
 *     taking over; whole seconds, at most a day
 * @param renewDeadline How long after its last successful renew a leader stops leading; less
 *     than the lease duration
 * @param retryPeriod How often candidates retry and leaders renew, at least 100ms; the renew
 *     deadline must exceed 1.2 times this
 * @param releaseOnShutdown Whether a leader releases the lease on shutdown so another instance
 *     takes over at once
 * @param lock The backend that holds the election: auto (the first backend present that is
 *     configured: a Kubernetes Lease when a Kubernetes API is configured, then etcd when
 *     leader-election.etcd.endpoints or a jetcd Client is, else in-memory with a warning), lease,
 *     configmap, etcd, in-memory (this JVM only), or the name of another backend on the classpath
 * @param priority This instance's preemption priority (0 or more); a higher priority candidate
 *     takes over from a lower priority leader without overlap
 * @param elections Further elections by name, each with the election settings of the top level
 *     (lease-name, lease-duration, renew-deadline, retry-period, release-on-shutdown, lock,
 *     priority, kubernetes.*); every one it leaves unset is the top level's, and its lease name
 *     defaults to its name
 * @param groups Sharded groups by name, each with shards (required, at least 1) and the election
 *     settings of the top level (lease-duration, renew-deadline, retry-period, lock,
 *     kubernetes.namespace, kubernetes.events.enabled); every one it leaves unset is the top
 *     level's. Shard i is held on
 *     the lock named after the group followed by "-i"; a group always releases its shards on
 *     shutdown
 * @param lockCallThreads Threads that run the rounds of all elections of the application (1 to
 *     64); the Kubernetes and etcd locks hold none while their server answers, so raise it only
 *     for many elections on a lock whose calls block
 * @param health How the leaderElection health indicator judges failures
 * @param waitForReadiness Whether to compete only while the application's readiness state is
 *     ACCEPTING_TRAFFIC (from startup until it is ready, and whenever it refuses traffic, a leader
 *     yields and a follower stands aside)
 * @param kubernetes Settings of elections held on Kubernetes (lock lease or configmap)
 * @param etcd The etcd connection of elections with lock=etcd
 *
 * @since 0.1.0
 */
@ConfigurationProperties(ElectionSettingsResolver.PREFIX)
public record LeaderElectionProperties(
    @DefaultValue("true") boolean enabled,
    @Nullable String leaseName,
    @Nullable String identity,
    @DefaultValue("15s") @DurationUnit(ChronoUnit.SECONDS) Duration leaseDuration,
    @DefaultValue("10s") @DurationUnit(ChronoUnit.SECONDS) Duration renewDeadline,
    @DefaultValue("2s") @DurationUnit(ChronoUnit.SECONDS) Duration retryPeriod,
    @DefaultValue("true") boolean releaseOnShutdown,
    @DefaultValue("auto") String lock,
    @DefaultValue("0") int priority,
    Map<String, Object> elections,
    Map<String, Object> groups,
    @DefaultValue("2") int lockCallThreads,
    @DefaultValue Health health,
    @DefaultValue("false") boolean waitForReadiness,
    @DefaultValue Kubernetes kubernetes,
    @DefaultValue Etcd etcd) {

  /** The name under which the default election appears in events, health and metrics. */
  public static final String DEFAULT_ELECTION = "default";

  /** Creates the properties; a missing elections or groups map means none. */
  public LeaderElectionProperties {
    elections = elections == null ? Map.of() : Map.copyOf(elections);
    groups = groups == null ? Map.of() : Map.copyOf(groups);
  }

  /**
   * How the {@code leaderElection} health indicator judges failures.
   *
   * @param failureTolerance How long the lock may keep failing before health turns DOWN (a leader
   *     past its renew deadline is DOWN at once), at most a day; defaults to each election's
   *     renew deadline
   * @since 0.2.0
   */
  public record Health(@Nullable @DurationUnit(ChronoUnit.SECONDS) Duration failureTolerance) {

    /** @throws IllegalArgumentException when the tolerance is negative or above a day */
    public Health {
      if (failureTolerance != null && (failureTolerance.isNegative()
          || failureTolerance.compareTo(ElectionSettingsResolver.MAX_DURATION) > 0)) {
        throw new IllegalArgumentException("leader-election.health.failure-tolerance is "
            + Durations.format(failureTolerance) + "; it must be between 0s and 86400s (one day)");
      }
    }
  }

  /**
   * Settings of elections held on Kubernetes.
   *
   * @param namespace The namespace of the lease; defaults to POD_NAMESPACE, then the service
   *     account's namespace, then "default"
   * @param events Kubernetes Events on the Lease (or ConfigMap) at each transition
   * @param migration The lock of the elector this application replaces
   * @param coordinated Coordinated leader election, where the API server chooses the leader
   * @since 0.3.0
   */
  public record Kubernetes(
      @Nullable String namespace,
      @DefaultValue Events events,
      @DefaultValue Migration migration,
      @DefaultValue Coordinated coordinated) {
  }

  /**
   * Kubernetes Events at each transition, as client-go records them.
   *
   * @param enabled Whether to record an Event on the Lease (or ConfigMap) of the election
   *     whenever this instance becomes leader or stops leading, and on that of a group's shard
   *     whenever this instance acquires or loses it
   * @since 0.2.0
   */
  public record Events(@DefaultValue("true") boolean enabled) {
  }

  /**
   * The lock of an elector this application replaces, in client-go's format: during the rolling
   * update the election is held on it and on its Lease together, so old and new instances never
   * lead at once; remove it once no old instance is left.
   *
   * @param from The old lock's kind, configmap or endpoints; unset means no migration
   * @param name The name of the old ConfigMap or Endpoints object; defaults to the election's
   *     lease name
   * @since 0.3.0
   */
  public record Migration(@Nullable MigrateFrom from, @Nullable String name) {
  }

  /**
   * Coordinated leader election: each instance announces a LeaseCandidate named after its
   * identity, and the API server chooses the candidate of the oldest emulation version, then
   * binary version, to lead, also through a rolling upgrade. Needs a Lease lock, no priority,
   * and the API server's CoordinatedLeaderElection feature gate.
   *
   * @param enabled Whether the Kubernetes API server chooses the leader
   * @param fallback Whether the election runs as an ordinary one, after a warning, when the API
   *     server does not serve LeaseCandidates; otherwise startup fails
   * @param binaryVersion This build's version, a semantic version such as 1.4.2; defaults to the
   *     application's version from build-info (BuildProperties)
   * @param emulationVersion The version whose behaviour this build keeps; a semantic version not
   *     above the binary version, which it defaults to
   * @since 0.3.0
   */
  public record Coordinated(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("false") boolean fallback,
      @Nullable String binaryVersion,
      @Nullable String emulationVersion) {
  }

  /**
   * The etcd v3 connection of elections with {@code lock=etcd}; needs
   * {@code dev.leaderelection:leaderelection-etcd} on the classpath. An application's own jetcd
   * {@code Client} bean wins over the endpoints, SSL and credentials here.
   *
   * @param endpoints The etcd endpoints, such as https://etcd-0:2379, https://etcd-1:2379
   * @param keyPrefix The prefix of each election's key; the key is the prefix followed by the
   *     lease name
   * @param username The etcd user to authenticate as, when etcd has authentication enabled
   * @param password The password of that user; never logged or shown
   * @param ssl TLS to etcd, for https:// endpoints
   * @param callTimeout The longest any one etcd call may take; defaults to half of each
   *     election's renew deadline, and must be shorter than it
   * @since 0.2.0
   */
  public record Etcd(
      @Nullable List<String> endpoints,
      @DefaultValue("/leaderelection/") String keyPrefix,
      @Nullable String username,
      @Nullable String password,
      @DefaultValue Ssl ssl,
      @Nullable @DurationUnit(ChronoUnit.SECONDS) Duration callTimeout) {

    /** Creates the settings; missing endpoints mean none. */
    public Etcd {
      endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /** Shows everything but the password. */
    @Override
    public String toString() {
      return "Etcd[endpoints=" + endpoints + ", keyPrefix=" + keyPrefix + ", username="
          + username + ", password=" + (password == null ? "(none)" : "(hidden)") + ", ssl="
          + ssl + ", callTimeout=" + callTimeout + "]";
    }
  }

  /**
   * TLS to etcd, from one of Spring Boot's SSL bundles ({@code spring.ssl.bundle.*}).
   *
   * @param bundle The name of the SSL bundle whose trust material verifies etcd's certificates
   *     and whose key material, if any, is the client certificate for etcd's
   *     --client-cert-auth; https:// endpoints without a bundle trust the JVM's CAs
   * @param authority The name to verify etcd's certificate against, when the endpoints address
   *     etcd by a name or IP address its certificate does not carry
   * @since 0.3.0
   */
  public record Ssl(@Nullable String bundle, @Nullable String authority) {
  }

  /** The lock of an elector this application replaces, in client-go's format. */
  public enum MigrateFrom {
    /** A ConfigMap with the {@code control-plane.alpha.kubernetes.io/leader} annotation. */
    CONFIGMAP,
    /** An Endpoints object with the same annotation (deprecated by Kubernetes since 1.33). */
    ENDPOINTS
  }
}
