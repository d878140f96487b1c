package dev.leaderelection.kubernetes.events;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.Ticker;
import dev.leaderelection.kubernetes.ApiCalls;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.LockClient;
import dev.leaderelection.kubernetes.ObjectApi;
import dev.leaderelection.kubernetes.ObjectReference;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a Kubernetes Event about an election's Lease (or ConfigMap) at each transition of this
 * instance, as client-go's elector does, so that {@code kubectl get events} and
 * {@code kubectl describe lease} show who led when: an {@code events.k8s.io/v1} Event with reason
 * {@code LeaderElection}, reporting controller {@value #CONTROLLER}, the identity as reporting
 * instance, and a note naming the identity and the fencing token. Its type is Normal when this
 * instance became leader or gave leadership up (released, yielded, preempted, shut down), and
 * Warning when it lost a term (renew deadline exceeded, stolen). The Events of a shard of a
 * sharded group ({@link ShardTransitionEvents}) are the same, on the shard's Lease, their note
 * naming the shard and its group.
 *
 * <p>Recording never delays or breaks the election: the callbacks only queue the event, which a
 * thread shared by the {@link KubernetesLocks} sends, at most 25 per election and then one every
 * 5 minutes. A failure is logged (once while it lasts; a refusal names the permission to grant)
 * and reported by {@link #problem()}, and the election goes on. Needs the verb {@code create} on
 * {@code events} in API group {@code events.k8s.io} in the lock's namespace. Made by
 * {@link KubernetesLocks#events}; register it as a listener of the election's elector.
 * Thread-safe.
 *
 * @since 0.2.0
 */
public final class TransitionEvents implements LeadershipListener {

  /** The reporting controller of every Event. */
  public static final String CONTROLLER = "leaderelection.dev/elector";
  static final String REASON = "LeaderElection";
  private static final String BECAME_LEADER = "BecameLeader";

  private static final Logger log = LoggerFactory.getLogger(TransitionEvents.class);
  private static final int MAX_INSTANCE = 128;
  private static final int MAX_NAME = 253;

  private final ObjectApi<? extends KubernetesObject> object;
  private final LockClient client;
  private final Duration timeout;
  private final EventSender sender;
  private final EventBudget budget;
  private final Clock clock;
  private final @Nullable Shard shard;
  private final EventFailures failures;
  private volatile @Nullable String uid;

  TransitionEvents(ObjectApi<? extends KubernetesObject> object, LockClient client,
      Duration timeout, EventSender sender, Ticker ticker, Clock clock) {
    this(object, client, timeout, sender, ticker, clock, null, new EventFailures());
  }

  /**
   * The Events of {@code shard}, or of an election when null; {@code failures} may be shared
   * (by the shards of a group), each object still has a budget of its own.
   */
  TransitionEvents(ObjectApi<? extends KubernetesObject> object, LockClient client,
      Duration timeout, EventSender sender, Ticker ticker, Clock clock, @Nullable Shard shard,
      EventFailures failures) {
    this.object = object;
    this.client = client;
    this.timeout = timeout;
    this.sender = sender;
    this.budget = new EventBudget(ticker);
    this.clock = clock;
    this.shard = shard;
    this.failures = failures;
  }

  /** A shard of a sharded group, which its Events' notes name. */
  record Shard(String group, int index) {

    @Override
    public String toString() {
      return "shard " + index + " of group " + group;
    }
  }

  @Override
  public void onStartedLeading(LeaderContext context) {
    record(BECAME_LEADER, "Normal", context.identity() + " became leader"
        + (shard == null ? "" : " of " + shard) + " (fencing token " + context.fencingToken()
        + ")", context.identity());
  }

  @Override
  public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
    boolean lost = reason == StepDownReason.RENEW_DEADLINE_EXCEEDED
        || reason == StepDownReason.STOLEN;
    record("StoppedLeading", lost ? "Warning" : "Normal", context.identity()
        + " stopped leading" + (shard == null ? "" : " " + shard) + ": " + reason
        + " (fencing token " + context.fencingToken() + ")", context.identity());
  }

  /**
   * Why the last Event could not be recorded, such as a missing permission; empty once one was
   * recorded again (or none failed).
   */
  public Optional<String> problem() {
    return failures.problem();
  }

  private void record(String action, String type, String note, String identity) {
    if (!budget.tryTake()) {
      log.debug("Not recording '{}': this {} recorded {} Events recently", note,
          shard == null ? "election" : "shard", EventBudget.BURST);
      return;
    }
    OffsetDateTime at = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    sender.send(() -> send(action, type, note, identity, at));
  }

  private void send(String action, String type, String note, String identity,
      OffsetDateTime at) {
    ObjectReference lock = object.object();
    EventsV1Event event = new EventsV1Event()
        .metadata(new V1ObjectMeta().namespace(lock.namespace()).name(name(lock, at)))
        .eventTime(at)
        .reportingController(CONTROLLER)
        .reportingInstance(truncated(identity, MAX_INSTANCE))
        .action(action)
        .reason(REASON)
        .type(type)
        .note(note)
        .regarding(new V1ObjectReference().apiVersion(object.apiVersion())
            .kind(object.kindName()).namespace(lock.namespace()).name(lock.name())
            .uid(uid(action.equals(BECAME_LEADER))));
    try {
      Call call = client.call(new EventsV1Api(client.apiClient())
          .createNamespacedEvent(lock.namespace(), event).buildCall(null));
      call.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
      client.apiClient().execute(call, EventsV1Event.class);
      failures.recorded();
    } catch (ApiException e) {
      failures.failed(explain(e, lock));
    } catch (RuntimeException e) {
      failures.failed("Could not record an Event about " + describe(lock) + ": " + e.getMessage());
    }
  }

  /**
   * The object's uid, so that {@code kubectl describe} finds the Event; null if unreadable. Read
   * when a term begins (an object deleted and created again always gets a new term) and kept
   * for the Events after it, so a term's Events cost one read, not one each.
   */
  private @Nullable String uid(boolean termBegins) {
    String known = uid;
    if (known != null && !termBegins) {
      return known;
    }
    try {
      V1ObjectMeta metadata = object.read().getMetadata();
      known = metadata == null ? null : metadata.getUid();
    } catch (RuntimeException e) {
      known = null;
    }
    uid = known;
    return known;
  }

  private String explain(ApiException e, ObjectReference lock) {
    String cannot = "Could not record an Event about " + describe(lock);
    if (e.getCode() == 403) {
      return cannot + ": the API server refused (HTTP 403). Grant the verb 'create' on "
          + "'events' in API group 'events.k8s.io' in namespace '" + lock.namespace()
          + "' to this identity (see the RBAC section of docs/kubernetes.md); the "
          + (shard == null ? "election" : "group") + " goes on without Events";
    }
    if (e.getCode() == 0) {
      return cannot + ": the Kubernetes API could not be reached or did not answer within "
          + timeout.toMillis() + "ms";
    }
    ApiCalls.Status status = ApiCalls.Status.parse(e.getResponseBody(), e.getCode());
    return cannot + ": HTTP " + e.getCode() + " " + status.reason() + ": " + status.message();
  }

  /**
   * The object, or for a shard its group's objects, so that a failure of every shard (such as a
   * refusal) is one explanation.
   */
  private String describe(ObjectReference lock) {
    return shard == null ? object.kindName() + " " + lock.namespace() + "/" + lock.name()
        : "the " + object.kindName() + "s of the shards of group " + shard.group()
            + " in namespace " + lock.namespace();
  }

  /** client-go's name: the object's name and the time in hex nanoseconds, within 253. */
  private static String name(ObjectReference lock, OffsetDateTime at) {
    String suffix = "." + Long.toHexString(at.toInstant().getEpochSecond() * 1_000_000_000L
        + at.getNano());
    return truncated(lock.name(), MAX_NAME - suffix.length()) + suffix;
  }

  private static String truncated(String text, int max) {
    Objects.requireNonNull(text);
    return text.length() <= max ? text : text.substring(0, max);
  }
}
