package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.coordinated.CoordinatedElectionUnavailableException;
import dev.leaderelection.spi.Candidacy;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coordinated elections: each announces a LeaseCandidate named after the election's identity on
 * its Lease, and the API server chooses the leader. Where the API server does not serve
 * LeaseCandidates, startup fails, or, with {@code coordinated-fallback}, the election runs as an
 * ordinary one after one warning. When the API server cannot be asked at startup, an election
 * without fallback starts and announces its candidacy once it answers, as elections wait for an
 * unreachable API server; one with fallback cannot tell which to run, and startup fails. The
 * candidacy shows in the election's health details as {@code coordination}, and a failure to
 * keep it current as {@code coordinationError}, which never turns health DOWN; while the API
 * server's controller is stalled on a departed preferred candidate, why, as
 * {@code coordinationStall}.
 */
final class KubernetesCandidacyContributor implements ElectionContributor {

  private static final Logger log = LoggerFactory.getLogger(KubernetesCandidacyContributor.class);

  private final @Nullable KubernetesLocks locks;
  private final ElectionSettingsResolver settings;
  private final Map<String, LockReference> references = new ConcurrentHashMap<>();
  private final Map<String, Candidacy> candidacies = new ConcurrentHashMap<>();
  private final Map<String, String> uncoordinated = new ConcurrentHashMap<>();

  /** @param locks the application's Kubernetes locks, or null when no Kubernetes API is set up */
  KubernetesCandidacyContributor(@Nullable KubernetesLocks locks,
      ElectionSettingsResolver settings) {
    this.locks = locks;
    this.settings = settings;
  }

  /** Notes which object the election is held on. */
  @Override
  public LeaseLock lock(String election, LeaseLock lock) {
    references.put(election, lock.reference());
    return lock;
  }

  /**
   * Makes a coordinated election's elector coordinated by its candidacy.
   *
   * @throws InvalidLeaderElectionPropertyException when the election cannot be coordinated
   */
  @Override
  public void customize(String election, LeaseTimings timings, LeaderElector.Builder builder) {
    ElectionSettings resolved = settings.resolve(election);
    Coordination coordination = resolved.coordination();
    if (coordination == null) {
      return;
    }
    LockReference lease = references.get(election);
    if (locks == null) {
      throw coordination.needsLease("no Kubernetes API is configured (no service account, no "
          + "kubeconfig, no ApiClient bean)");
    }
    if (lease == null || !"Lease".equals(lease.kind())) {
      throw coordination.needsLease("the election's lock is "
          + (lease == null ? "unknown" : lease.kind() + " " + lease.name()));
    }
    KubernetesLocks kubernetes = locks;
    Supplier<Candidacy> discover = () -> kubernetes.leaseCandidate(lease, resolved.identity(),
        coordination.binaryVersion(), coordination.emulationVersion(),
        ElectionLocks.requestTimeout(resolved.timings()));
    Candidacy candidacy;
    try {
      candidacy = discover.get();
    } catch (IllegalArgumentException refused) {
      throw coordination.invalid(refused, resolved.identity());
    } catch (CoordinatedElectionUnavailableException unavailable) {
      if (!coordination.fallback()) {
        throw coordination.unavailable(unavailable);
      }
      log.warn("Election '{}' runs as an ordinary election on Lease {}/{}, as {}=true allows: "
          + "{}", election, lease.namespace(), lease.name(), coordination.fallbackProperty(),
          unavailable.getMessage());
      uncoordinated.put(election, "none: the API server does not serve LeaseCandidates, so "
          + "this election runs uncoordinated (" + coordination.fallbackProperty() + ")");
      return;
    } catch (LeaseLockException unanswered) {
      if (coordination.fallback()) {
        throw coordination.undecided(unanswered);
      }
      log.warn("Could not ask the API server whether it serves LeaseCandidates for election "
          + "'{}'; its candidacy is announced once it answers: {}", election,
          unanswered.getMessage());
      candidacy = new DeferredCandidacy(discover, "LeaseCandidate " + lease.namespace() + "/"
          + resolved.identity(), unanswered);
    }
    candidacies.put(election, candidacy);
    builder.coordinatedBy(candidacy);
  }

  @Override
  public Map<String, Object> healthDetails(String election) {
    Candidacy candidacy = candidacies.get(election);
    if (candidacy == null) {
      String none = uncoordinated.get(election);
      return none == null ? Map.of() : Map.of("coordination", none);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("coordination", candidacy.describe());
    candidacy.failure().ifPresent(failure ->
        details.put("coordinationError", failure.getMessage()));
    candidacy.stall().ifPresent(stall -> details.put("coordinationStall", stall));
    return details;
  }
}
