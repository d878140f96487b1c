package dev.leaderelection.kubernetes.members;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.ApiCalls;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.RenewAttempts;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's announcement in a group: its member Lease, created (or, left by an earlier
 * process of the same identity, taken over) at once, renewed every third of its duration with
 * optimistic concurrency (the resourceVersion last written), created again if someone deletes
 * it, and deleted on {@link #close()}. Failures are logged and retried after 1 s, doubling up to
 * the renew interval, never thrown. All calls but the close's delete run on one daemon thread of
 * this announcement. Thread-safe.
 */
final class MemberAnnouncement implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MemberAnnouncement.class);
  private static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final MemberLeaseApi api;
  private final ApiCalls calls;
  private final String group;
  private final String identity;
  private final int durationSeconds;
  private final long renewNanos;
  private final Clock clock;
  private final Consumer<MemberAnnouncement> onClose;
  private final ScheduledThreadPoolExecutor thread;
  private final RenewAttempts attempts = new RenewAttempts();
  private volatile boolean closed;
  private volatile boolean abandoned;
  private @Nullable V1Lease current;
  private int failures;
  private boolean announced;

  MemberAnnouncement(MemberLeaseApi api, String group, String identity, Duration ttl,
      Clock clock, Consumer<MemberAnnouncement> onClose) {
    this.api = api;
    this.calls = api.calls(MemberNames.leaseName(group, identity));
    this.group = group;
    this.identity = identity;
    this.durationSeconds = Math.toIntExact(ttl.toSeconds());
    this.renewNanos = ttl.toNanos() / 3;
    this.clock = clock;
    this.onClose = onClose;
    this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread named = new Thread(runnable, "leader-election-member " + describe());
      named.setDaemon(true);
      return named;
    });
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Announces the member at once, in the background. */
  void start() {
    thread.execute(this::renew);
  }

  /**
   * Stops renewing and deletes the Lease (a graceful leave), within the request timeout; a call
   * still running when it is answered after that deletes it again. Idempotent; logs failures.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    thread.shutdown();
    onClose.accept(this);
    withdraw();
  }

  /** Stops renewing without deleting the Lease, as a process that died; for tests. */
  void abandon() {
    abandoned = true;
    closed = true;
    thread.shutdownNow();
    onClose.accept(this);
  }

  String describe() {
    return "member Lease " + api.namespace() + "/" + calls.object().name() + " of '" + identity
        + "' in group " + group;
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Creates, takes over or renews the Lease, on this announcement's thread. */
  private void renew() {
    if (closed) {
      return;
    }
    attempts.run(() -> {
      V1Lease seen = current != null ? current : readIfExists();
      if (seen != null && !isOwn(seen)) {
        throw new LeaseLockException(describe() + " is held by '" + holder(seen) + "' of group '"
            + groupOf(seen) + "', not by this member; it is left alone");
      }
      current = seen == null ? api.create(calls, fresh()) : api.replace(calls, renewed(seen));
      if (closed) {
        withdrawAfterClose();
        return;
      }
      succeeded();
    }, () -> current = null, () -> schedule(0), this::failed);
  }

  private void succeeded() {
    if (!announced) {
      announced = true;
      log.info("Announced {}", describe());
    } else if (failures > 0) {
      log.info("{} is current again", describe());
    }
    failures = 0;
    schedule(renewNanos);
  }

  private void failed(LeaseLockException cause) {
    if (closed) {
      return;
    }
    if (failures == 0) {
      log.warn("Could not keep {} current; retrying: {}", describe(), cause.getMessage());
    }
    long delay = Math.min(FIRST_RETRY_NANOS << Math.min(failures, 20), renewNanos);
    failures++;
    schedule(delay);
  }

  private void schedule(long delayNanos) {
    if (!closed) {
      thread.schedule(this::renew, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** A write answered after {@link #close()}: the close's delete may have come first. */
  private void withdrawAfterClose() {
    if (!abandoned) {
      withdraw();
    }
  }

  private void withdraw() {
    try {
      api.delete(calls);
      log.debug("Withdrew {}", describe());
    } catch (KubernetesApiException e) {
      if (e.statusCode() != 404) {
        log.warn("Could not withdraw {}; the other members see it leave when it expires, "
            + "{} s after its last renewal: {}", describe(), durationSeconds, e.getMessage());
      }
    }
  }

  private @Nullable V1Lease readIfExists() {
    try {
      return api.read(calls);
    } catch (KubernetesApiException e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private boolean isOwn(V1Lease lease) {
    return identity.equals(holder(lease)) && group.equals(groupOf(lease));
  }

  private static @Nullable String holder(V1Lease lease) {
    return lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static @Nullable String groupOf(V1Lease lease) {
    Map<String, String> annotations = lease.getMetadata() == null ? null
        : lease.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(MemberNames.GROUP_ANNOTATION);
  }

  private V1Lease fresh() {
    OffsetDateTime now = now();
    return new V1Lease().apiVersion("coordination.k8s.io/v1").kind("Lease")
        .metadata(new V1ObjectMeta().namespace(api.namespace()).name(calls.object().name())
            .putLabelsItem(MemberNames.GROUP_LABEL, MemberNames.labelValue(group))
            .putAnnotationsItem(MemberNames.GROUP_ANNOTATION, group))
        .spec(new V1LeaseSpec().holderIdentity(identity).leaseDurationSeconds(durationSeconds)
            .acquireTime(now).renewTime(now));
  }

  /** {@code seen} renewed now, its labels and annotations kept and this group's restored. */
  private V1Lease renewed(V1Lease seen) {
    V1ObjectMeta metadata = Objects.requireNonNullElseGet(seen.getMetadata(), V1ObjectMeta::new);
    Map<String, String> labels = new HashMap<>(Objects.requireNonNullElseGet(
        metadata.getLabels(), Map::of));
    labels.put(MemberNames.GROUP_LABEL, MemberNames.labelValue(group));
    V1LeaseSpec spec = Objects.requireNonNullElseGet(seen.getSpec(), V1LeaseSpec::new);
    return seen.metadata(metadata.labels(labels)).spec(spec.holderIdentity(identity)
        .leaseDurationSeconds(durationSeconds).renewTime(now()));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS),
        ZoneOffset.UTC);
  }
}
