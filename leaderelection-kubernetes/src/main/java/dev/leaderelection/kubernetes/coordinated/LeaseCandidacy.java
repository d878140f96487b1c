package dev.leaderelection.kubernetes.coordinated;

import com.google.gson.JsonObject;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.internal.WatchBackoff;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.LockClient;
import dev.leaderelection.kubernetes.RenewAttempts;
import dev.leaderelection.kubernetes.watch.WatchStream;
import dev.leaderelection.spi.Candidacy;
import dev.leaderelection.spi.LockReference;
import io.kubernetes.client.openapi.models.V1beta1LeaseCandidate;
import io.kubernetes.client.openapi.models.V1beta1LeaseCandidateSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's {@code LeaseCandidate} for one Lease, as client-go's {@code leasecandidate.go}
 * keeps it: created (or, left over from an earlier process of this identity, updated to this
 * one's versions) on {@link #announce()}, renewed every 5 minutes and at once whenever the API
 * server's coordinated-leader-election controller pings it (sets {@code spec.pingTime} after its
 * {@code renewTime}; the controller waits 5 seconds for the answer), created again if someone
 * deletes it, and deleted on {@link #withdraw()}. A watch on the candidate delivers the pings;
 * while it is down (no {@code watch} permission, or a broken connection) the candidate is renewed
 * every {@value #UNWATCHED_RENEW_SECONDS} seconds instead, so it stays electable. Failures are
 * retried after 1 s, doubling up to 30 s. All calls run on one daemon thread of this candidacy.
 * Thread-safe.
 *
 * <p>Asked whether the controller's preference is stale ({@link #isPreferenceStale}), it
 * reads that candidate's LeaseCandidate in the background ({@link PreferredCandidate}).
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: public only for {@link #discover},
 * through which {@link KubernetesLocks#leaseCandidate} makes one; applications get it as a
 * {@link Candidacy}. It may change in any release.
 */
public final class LeaseCandidacy implements Candidacy {

  private static final Logger log = LoggerFactory.getLogger(LeaseCandidacy.class);

  /** How often the candidate is renewed without a ping, as client-go does. */
  static final Duration RENEW_INTERVAL = Duration.ofMinutes(5);

  /** How often the candidate is renewed while its watch is down: within the controller's 5 s. */
  static final int UNWATCHED_RENEW_SECONDS = 2;

  /** How long the controller waits for a pinged candidate to answer. */
  static final int PING_TIMEOUT_SECONDS = 5;

  /** How long a stall is reported after the elector last asked about it. */
  private static final long STALL_SHOWN_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The strategy this library's candidates ask for. */
  static final String STRATEGY = "OldestEmulationVersion";

  private final LeaseCandidateApi api;
  private final String leaseName;
  private final String binaryVersion;
  private final String emulationVersion;
  private final Duration requestTimeout;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private final WatchBackoff backoff = new WatchBackoff();
  private final RenewAttempts attempts = new RenewAttempts();
  private volatile boolean withdrawn;
  private volatile boolean standingAside;
  private volatile @Nullable LeaseLockException failure;
  private volatile @Nullable LeaseLockException watchFailure;
  private @Nullable WatchStream watch;
  private @Nullable V1beta1LeaseCandidate current;
  private @Nullable Future<?> next;
  private boolean announced;
  private final PreferredCandidate preferred;
  private volatile long stallAskedNanos;

  /**
   * The candidacy of {@code identity} for the Lease {@code lease}, once the versions are checked
   * and the API server has said which version of LeaseCandidate it serves; the rest of
   * {@link KubernetesLocks#leaseCandidate} checks its arguments before.
   *
   * @param watchTimeout how long the server keeps one watch on the candidate open
   * @throws IllegalArgumentException when a version is not a semantic version, or the emulation
   *     version is above the binary version
   * @throws CoordinatedElectionUnavailableException when the API server serves no LeaseCandidates
   * @throws KubernetesApiException when the API server could not be asked
   */
  public static LeaseCandidacy discover(LockClient client, LockReference lease, String identity,
      String binaryVersion, String emulationVersion, Duration requestTimeout,
      Duration watchTimeout) {
    SemanticVersion binary = SemanticVersion.parse("binaryVersion", binaryVersion);
    if (SemanticVersion.parse("emulationVersion", emulationVersion).compareTo(binary) > 0) {
      throw new IllegalArgumentException("emulationVersion is '" + emulationVersion
          + "' but must not be above binaryVersion '" + binaryVersion + "'");
    }
    String namespace = Objects.requireNonNull(lease.namespace(), "namespace");
    LeaseCandidateApi api = LeaseCandidateApi.discover(client, requestTimeout, namespace,
        identity, watchTimeout);
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread named = new Thread(runnable, "leader-election-candidate " + api.object().namespace()
          + "/" + api.object().name());
      named.setDaemon(true);
      return named;
    });
    return new LeaseCandidacy(api, lease.name(), binaryVersion, emulationVersion,
        requestTimeout, Clock.systemUTC(), thread);
  }

  /** @param thread where all its calls run, one at a time; shut down on {@link #withdraw()} */
  LeaseCandidacy(LeaseCandidateApi api, String leaseName, String binaryVersion,
      String emulationVersion, Duration requestTimeout, Clock clock,
      ScheduledExecutorService thread) {
    this.api = api;
    this.leaseName = leaseName;
    this.binaryVersion = binaryVersion;
    this.emulationVersion = emulationVersion;
    this.requestTimeout = requestTimeout;
    this.clock = clock;
    this.preferred = new PreferredCandidate(api, binaryVersion, emulationVersion);
    this.thread = thread;
  }

  @Override
  public void announce() {
    standingAside = false;
    onThread(this::ensure);
  }

  /** Deletes the candidate and stops renewing it and answering pings until announced again. */
  @Override
  public void standAside() {
    standingAside = true;
    onThread(() -> {
      cancelNext();
      current = null;
      delete();
    });
  }

  @Override
  public void withdraw() {
    if (withdrawn) {
      return;
    }
    withdrawn = true;
    Future<?> deleted = thread.submit(() -> {
      if (watch != null) {
        watch.close();
      }
      cancelNext();
      delete();
    });
    try {
      deleted.get(requestTimeout.toNanos() * 2, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Could not withdraw {} in time; the API server removes it after 30 minutes",
          describe());
    } finally {
      thread.shutdownNow();
    }
  }

  @Override
  public Optional<LeaseLockException> failure() {
    LeaseLockException failed = failure;
    return Optional.ofNullable(failed != null ? failed : watchFailure);
  }

  @Override
  public String describe() {
    return "LeaseCandidate " + api.object().namespace() + "/" + api.object().name() + " ("
        + api.apiVersion() + ", Lease " + leaseName + ", version " + binaryVersion
        + (binaryVersion.equals(emulationVersion) ? "" : " emulating " + emulationVersion) + ")";
  }

  @Override
  public boolean isPreferenceStale(String identity) {
    long now = System.nanoTime();
    stallAskedNanos = now;
    onThread(() -> preferred.check(identity, current));
    return preferred.isStale(identity, now);
  }

  @Override
  public Optional<String> stall() {
    long now = System.nanoTime();
    PreferredCandidate.Preferred seen = preferred.stale(now);
    if (seen == null || now - stallAskedNanos > STALL_SHOWN_NANOS) {
      return Optional.empty();
    }
    return Optional.of("the API server named this candidate holder of Lease " + leaseName
        + " but prefers '" + seen.identity() + "' (" + seen.why() + ") and left the Lease "
        + "expired: Kubernetes 1.36 does not rewrite an expired Lease whose holder it still "
        + "finds best (a departed preferred candidate: until kubernetes/kubernetes#138066). "
        + "This candidate releases the naming so that it chooses again");
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Creates or renews the candidate, on this candidacy's thread, then schedules the next. */
  private void ensure() {
    if (withdrawn || standingAside) {
      return;
    }
    cancelNext();
    attempts.run(() -> {
      V1beta1LeaseCandidate seen = current != null ? current : readIfExists();
      current = seen == null ? api.create(fresh()) : api.replace(renewed(seen));
      succeeded();
      schedule(watchFailure == null ? RENEW_INTERVAL.toNanos()
          : TimeUnit.SECONDS.toNanos(UNWATCHED_RENEW_SECONDS));
    }, () -> current = null, () -> schedule(0), this::failed);
  }

  private void succeeded() {
    if (!announced) {
      announced = true;
      log.info("Announced {}", describe());
      watch = WatchStream.start(api::openWatch, api.object().name(), new Pings(),
          "LeaseCandidate " + api.object());
    } else if (failure != null) {
      log.info("{} is current again", describe());
    }
    failure = null;
    backoff.connected(System.nanoTime());
  }

  private void failed(LeaseLockException cause) {
    if (failure == null) {
      log.warn("Could not keep {} current; retrying: {}", describe(), cause.getMessage());
    }
    failure = cause;
    schedule(backoff.failedNanos(System.nanoTime()));
  }

  private @Nullable V1beta1LeaseCandidate readIfExists() {
    try {
      return api.read();
    } catch (KubernetesApiException e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private V1beta1LeaseCandidate fresh() {
    return api.newCandidate().spec(new V1beta1LeaseCandidateSpec().leaseName(leaseName)
        .binaryVersion(binaryVersion).emulationVersion(emulationVersion).strategy(STRATEGY)
        .renewTime(now()));
  }

  /** {@code seen} renewed now, with this process's versions (an earlier one may have differed). */
  private V1beta1LeaseCandidate renewed(V1beta1LeaseCandidate seen) {
    V1beta1LeaseCandidateSpec spec = Objects.requireNonNull(seen.getSpec(), "spec");
    if (!leaseName.equals(spec.getLeaseName())) {
      throw new LeaseLockException("LeaseCandidate " + api.object() + " stands for Lease '"
          + spec.getLeaseName() + "', not '" + leaseName + "': another election uses the "
          + "identity '" + api.object().name() + "'. Give each election a unique identity");
    }
    spec.binaryVersion(binaryVersion).emulationVersion(emulationVersion).strategy(STRATEGY)
        .renewTime(now());
    return seen;
  }

  private void delete() {
    try {
      api.delete();
      log.info("Withdrew {}", describe());
    } catch (KubernetesApiException e) {
      if (e.statusCode() != 404) {
        log.warn("Could not withdraw {}; the API server removes it after 30 minutes: {}",
            describe(), e.getMessage());
      }
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS),
        ZoneOffset.UTC);
  }

  private void schedule(long delayNanos) {
    if (!withdrawn) {
      next = thread.schedule(this::ensure, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Runs {@code task} on this candidacy's thread unless withdrawn. */
  private void onThread(Runnable task) {
    try {
      thread.execute(() -> {
        if (!withdrawn) {
          task.run();
        }
      });
    } catch (RejectedExecutionException withdrawnMeanwhile) {
      // nothing more to do
    }
  }

  private void cancelNext() {
    if (next != null) {
      next.cancel(false);
      next = null;
    }
  }

  /** The watch on the candidate: answers pings and re-creates it when deleted. */
  private final class Pings implements WatchStream.Events {

    @Override
    public void connected(WatchStream stream) {
      watchFailure = null; // the current state follows as a change
    }

    @Override
    public void changed(WatchStream stream, String name, @Nullable JsonObject object) {
      V1beta1LeaseCandidate changed = object == null ? null : api.decode(object);
      onThread(() -> {
        if (standingAside) {
          return; // deleted by this candidacy, and not to be renewed until announced again
        }
        if (changed == null) {
          log.info("{} was deleted by someone else; announcing it again", describe());
          current = null;
          ensure();
        } else if (pinged(changed)) {
          log.debug("{} was pinged; renewing", describe());
          current = changed;
          ensure();
        }
      });
    }

    @Override
    public void broken(WatchStream stream, LeaseLockException cause) {
      boolean first = watchFailure == null;
      watchFailure = cause;
      if (first) {
        log.warn("Cannot watch {}, so it is renewed every {} s instead of when pinged: {}",
            describe(), UNWATCHED_RENEW_SECONDS, cause.getMessage());
        onThread(LeaseCandidacy.this::ensure);
      }
    }

    private boolean pinged(V1beta1LeaseCandidate candidate) {
      V1beta1LeaseCandidateSpec spec = candidate.getSpec();
      OffsetDateTime ping = spec == null ? null : spec.getPingTime();
      return ping != null && (spec.getRenewTime() == null || spec.getRenewTime().isBefore(ping));
    }
  }
}
