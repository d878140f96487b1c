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
 * Leader election settings, under {@code leader-election}. Named elections under
 * {@code leader-election.elections.<name>} take every unset value from the top level. Durations
 * take a unit ({@code 15s}, {@code 500ms}, {@code PT15S}); a bare number means seconds, as for
 * Spring Boot's session timeouts.
 *
 * @param enabled Whether to elect a leader at all; false turns every bean of this starter off,
 *     including the @OnLeader guard
 * @param leaseName The name of the Lease (or ConfigMap) that holds the default election; a valid
 *     Kubernetes name. Without it, only named elections are held
 * @param namespace The namespace of the lease; defaults to POD_NAMESPACE, then the service
 *     account's namespace, then "default"
 * @param identity This instance's identity; defaults to POD_NAME (or HOSTNAME, or the host name)
 *     followed by "_" and 8 random hex digits, so no two processes share one
 * @param leaseDuration How long followers wait, after they last saw the lease change, before
 *     taking over
 * @param renewDeadline How long after its last successful renew a leader stops leading; less
 *     than the lease duration
 * @param retryPeriod How often candidates retry and leaders renew; the renew deadline must exceed
 *     1.2 times this
 * @param releaseOnShutdown Whether a leader releases the lease on shutdown so another instance
 *     takes over at once
 * @param lock Where the election is held: auto (a Lease when a Kubernetes API is configured,
 *     else in-memory), lease, configmap, etcd (a key in etcd v3, see leader-election.etcd) or
 *     in-memory (this JVM only)
 * @param priority This instance's preemption priority (0 or more); a higher priority candidate
 *     takes over from a lower priority leader without overlap
 * @param elections Further elections by name, each with its own lease; unset values are taken
 *     from the top level, and the lease name defaults to the election's name
 * @param lockCallThreads Threads that run the rounds of all elections of the application (1 or
 *     more); the Kubernetes and etcd locks hold none while their server answers, so raise it only
 *     for many elections on a lock whose calls block
 * @param health How the leaderElection health indicator judges failures
 * @param waitForReadiness Whether to compete only while the application's readiness state is
 *     ACCEPTING_TRAFFIC (from startup until it is ready, and whenever it refuses traffic, a leader
 *     yields and a follower stands aside)
 * @param etcd The etcd connection of elections with lock=etcd
 * @param events Kubernetes Events on the Lease (or ConfigMap) at each transition
 * @param migrateFrom The lock of the elector this application replaces, configmap or endpoints,
 *     in client-go's format: during the rolling update every election is held on it and on its
 *     Lease together, so old and new instances never lead at once; remove it once no old
 *     instance is left
 * @param migrateFromName The name of the old ConfigMap or Endpoints object, when it differs from
 *     the lease name
 * @param coordinated Whether the Kubernetes API server chooses the leader (coordinated leader
 *     election): each instance announces a LeaseCandidate named after its identity, and the
 *     candidate of the oldest emulation version, then binary version, leads, also through a
 *     rolling upgrade. Needs a Lease lock, no priority, and the API server's
 *     CoordinatedLeaderElection feature gate
 * @param coordinatedFallback Whether a coordinated election runs as an ordinary one, after a
 *     warning, when the API server does not serve LeaseCandidates; otherwise startup fails
 * @param binaryVersion This build's version in coordinated elections, a semantic version such as
 *     1.4.2; defaults to the application's version from build-info (BuildProperties)
 * @param emulationVersion The version whose behaviour this build keeps, in coordinated
 *     elections; a semantic version not above the binary version, which it defaults to
 *
 * @since 0.1.0
 */
@ConfigurationProperties("leader-election")
public record LeaderElectionProperties(
    @DefaultValue("true") boolean enabled,
    @Nullable String leaseName,
    @Nullable String namespace,
    @Nullable String identity,
    @DefaultValue("15s") @DurationUnit(ChronoUnit.SECONDS) Duration leaseDuration,
    @DefaultValue("10s") @DurationUnit(ChronoUnit.SECONDS) Duration renewDeadline,
    @DefaultValue("2s") @DurationUnit(ChronoUnit.SECONDS) Duration retryPeriod,
    @DefaultValue("true") boolean releaseOnShutdown,
    @DefaultValue("auto") LockType lock,
    @DefaultValue("0") int priority,
    Map<String, Election> elections,
    @DefaultValue("2") int lockCallThreads,
    @DefaultValue Health health,
    @DefaultValue("false") boolean waitForReadiness,
    @DefaultValue Etcd etcd,
    @DefaultValue Events events,
    @Nullable MigrateFrom migrateFrom,
    @Nullable String migrateFromName,
    @DefaultValue("false") boolean coordinated,
    @DefaultValue("false") boolean coordinatedFallback,
    @Nullable String binaryVersion,
    @Nullable String emulationVersion) {

  /** The name under which the default election appears in events, health and metrics. */
  public static final String DEFAULT_ELECTION = "default";

  /** Creates the properties; a missing elections map means none. */
  public LeaderElectionProperties {
    elections = elections == null ? Map.of() : Map.copyOf(elections);
  }

  /**
   * How the {@code leaderElection} health indicator judges failures.
   *
   * @param failureTolerance How long the lock may keep failing before health turns DOWN (a leader
   *     past its renew deadline is DOWN at once); defaults to each election's renew deadline
   * @since 0.2.0
   */
  public record Health(@Nullable @DurationUnit(ChronoUnit.SECONDS) Duration failureTolerance) {

    /** @throws IllegalArgumentException when the tolerance is negative */
    public Health {
      if (failureTolerance != null && failureTolerance.isNegative()) {
        throw new IllegalArgumentException("leader-election.health.failure-tolerance is "
            + Durations.format(failureTolerance) + "; it must not be negative");
      }
    }
  }

  /**
   * The etcd v3 connection of elections with {@code lock=etcd}; needs
   * {@code dev.leaderelection:leaderelection-etcd} on the classpath. An application's own jetcd
   * {@code Client} bean wins over the endpoints, TLS and credentials here.
   *
   * @param endpoints The etcd endpoints, such as https://etcd-0:2379, https://etcd-1:2379
   * @param keyPrefix The prefix of each election's key; the key is the prefix followed by the
   *     lease name
   * @param username The etcd user to authenticate as, when etcd has authentication enabled
   * @param password The password of that user; never logged or shown
   * @param tls TLS files, for https:// endpoints
   * @param callTimeout The longest any one etcd call may take; defaults to half of each
   *     election's renew deadline, and must be shorter than it
   * @since 0.2.0
   */
  public record Etcd(
      @Nullable List<String> endpoints,
      @DefaultValue("/leaderelection/") String keyPrefix,
      @Nullable String username,
      @Nullable String password,
      @DefaultValue Tls tls,
      @Nullable @DurationUnit(ChronoUnit.SECONDS) Duration callTimeout) {

    /** Creates the settings; missing endpoints mean none. */
    public Etcd {
      endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /** Shows everything but the password. */
    @Override
    public String toString() {
      return "Etcd[endpoints=" + endpoints + ", keyPrefix=" + keyPrefix + ", username="
          + username + ", password=" + (password == null ? "(none)" : "(hidden)") + ", tls="
          + tls + ", callTimeout=" + callTimeout + "]";
    }
  }

  /**
   * The PEM files of an etcd TLS connection, as operators hold them.
   *
   * @param caFile The CA certificate(s) that signed etcd's serving certificates
   * @param certFile The client certificate, for etcd's --client-cert-auth; needs key-file
   * @param keyFile The PKCS#8 private key of the client certificate
   * @param authority The name to verify etcd's certificate against, when the endpoints address
   *     etcd by a name or IP address its certificate does not carry
   * @since 0.2.0
   */
  public record Tls(@Nullable String caFile, @Nullable String certFile,
      @Nullable String keyFile, @Nullable String authority) {
  }

  /**
   * Kubernetes Events at each transition, as client-go records them.
   *
   * @param enabled Whether to record an Event on the Lease (or ConfigMap) of each election held
   *     on Kubernetes whenever this instance becomes leader or stops leading
   * @since 0.2.0
   */
  public record Events(@DefaultValue("true") boolean enabled) {
  }

  /** The lock of an elector this application replaces, in client-go's format. */
  public enum MigrateFrom {
    /** A ConfigMap with the {@code control-plane.alpha.kubernetes.io/leader} annotation. */
    CONFIGMAP,
    /** An Endpoints object with the same annotation (deprecated by Kubernetes since 1.33). */
    ENDPOINTS
  }

  /** Where an election is held. */
  public enum LockType {
    /** A Lease when a Kubernetes API is configured, otherwise in-memory (with a warning). */
    AUTO,
    /** A coordination.k8s.io/v1 Lease. */
    LEASE,
    /** A ConfigMap annotated as client-go does. */
    CONFIGMAP,
    /** A key in etcd v3, with the connection under {@code leader-election.etcd}. */
    ETCD,
    /** This JVM only: for tests and single-process runs. */
    IN_MEMORY
  }

  /**
   * A named election; every unset value is taken from the top level.
   *
   * @param leaseName The name of its Lease (or ConfigMap); defaults to the election's name
   * @param namespace The namespace of its lease
   * @param leaseDuration How long followers wait before taking over
   * @param renewDeadline How long after its last renew a leader stops leading
   * @param retryPeriod How often candidates retry and leaders renew
   * @param releaseOnShutdown Whether a leader releases the lease on shutdown
   * @param lock Where the election is held
   * @param priority This instance's preemption priority in this election
   * @param migrateFrom The lock of the elector this election replaces, configmap or endpoints
   * @param migrateFromName The name of the old ConfigMap or Endpoints object
   * @param coordinated Whether the API server chooses this election's leader
   * @param coordinatedFallback Whether this election runs uncoordinated where the API server
   *     does not serve LeaseCandidates
   * @param binaryVersion This build's version in this election, if coordinated
   * @param emulationVersion The version whose behaviour this build keeps in this election
   */
  public record Election(
      @Nullable String leaseName,
      @Nullable String namespace,
      @Nullable @DurationUnit(ChronoUnit.SECONDS) Duration leaseDuration,
      @Nullable @DurationUnit(ChronoUnit.SECONDS) Duration renewDeadline,
      @Nullable @DurationUnit(ChronoUnit.SECONDS) Duration retryPeriod,
      @Nullable Boolean releaseOnShutdown,
      @Nullable LockType lock,
      @Nullable Integer priority,
      @Nullable MigrateFrom migrateFrom,
      @Nullable String migrateFromName,
      @Nullable Boolean coordinated,
      @Nullable Boolean coordinatedFallback,
      @Nullable String binaryVersion,
      @Nullable String emulationVersion) {
  }
}
