package dev.leaderelection.kubernetes;

import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReviewSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * Asks the API server which of the verbs some calls use (a lock's, unless told others) this
 * identity lacks on their object, or on its resource in the namespace for verbs such as
 * {@code create} and {@code list} ({@code SelfSubjectAccessReview}, which every authenticated
 * identity may create), so that one
 * refusal can name every missing permission at once. Answers are kept for a minute. Thread-safe.
 */
final class AccessReview {

  /** The verbs a lock uses on its object (read it, create it, renew it, watch it), in order. */
  static List<String> lockVerbs() {
    return List.of("get", "create", "update", "watch");
  }

  private final List<String> verbs;
  private final Set<String> collectionVerbs;

  private static final long KEEP_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final LockClient client;
  private final Duration timeout;
  private final ObjectReference object;
  private Optional<List<String>> missing = Optional.empty();
  private long reviewedAtNanos;

  AccessReview(LockClient client, Duration timeout, ObjectReference object) {
    this(client, timeout, object, lockVerbs(), Set.of("create"));
  }

  /**
   * A review of {@code verbs} on {@code object}, those in {@code collectionVerbs} on its
   * resource in the namespace (no name).
   */
  AccessReview(LockClient client, Duration timeout, ObjectReference object, List<String> verbs,
      Set<String> collectionVerbs) {
    this.verbs = List.copyOf(verbs);
    this.collectionVerbs = Set.copyOf(collectionVerbs);
    this.client = client;
    this.timeout = timeout;
    this.object = object;
  }

  /** The lock's verbs this identity may not use, or empty when the server could not tell. */
  synchronized Optional<List<String>> missingVerbs() {
    long now = System.nanoTime();
    if (missing.isEmpty() || now - reviewedAtNanos > KEEP_NANOS) {
      missing = review();
      reviewedAtNanos = now;
    }
    return missing;
  }

  private Optional<List<String>> review() {
    List<String> denied = new ArrayList<>();
    AuthorizationV1Api api = new AuthorizationV1Api(client.apiClient());
    try {
      for (String verb : verbs) {
        V1ResourceAttributes attributes = new V1ResourceAttributes()
            .namespace(object.namespace()).group(object.group())
            .resource(object.resourceName()).verb(verb)
            // create cannot be limited to a name (RBAC's resourceNames do not apply to it)
            .name(collectionVerbs.contains(verb) ? null : object.name());
        Call call = client.call(api.createSelfSubjectAccessReview(new V1SelfSubjectAccessReview()
            .spec(new V1SelfSubjectAccessReviewSpec().resourceAttributes(attributes)))
            .buildCall(null));
        call.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        V1SelfSubjectAccessReview answer =
            client.apiClient().<V1SelfSubjectAccessReview>execute(call,
                V1SelfSubjectAccessReview.class)
                .getData();
        if (answer.getStatus() == null || !answer.getStatus().getAllowed()) {
          denied.add(verb);
        }
      }
      return Optional.of(List.copyOf(denied));
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
