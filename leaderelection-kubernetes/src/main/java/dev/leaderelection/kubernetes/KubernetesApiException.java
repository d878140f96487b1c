package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaseLockException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes API refused or failed a call of a lock: it carries the HTTP status (0 when no
 * answer arrived), the API's reason (such as {@code Forbidden}), and the verb and resource that
 * were attempted, so that a missing RBAC permission can be named. Never carries credentials.
 *
 * @since 0.1.0
 */
public final class KubernetesApiException extends LeaseLockException {

  private final int statusCode;
  private final String reason;
  private final String verb;
  private final String resource;

  KubernetesApiException(String message, int statusCode, String reason, String verb,
      String resource, @Nullable Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.reason = reason;
    this.verb = verb;
    this.resource = resource;
  }

  /** The HTTP status code of the answer, or {@code 0} when the API could not be reached. */
  public int statusCode() {
    return statusCode;
  }

  /** The API's reason, such as {@code Forbidden}, {@code NotFound} or {@code Timeout}. */
  public String reason() {
    return reason;
  }

  /** The verb that was attempted: {@code get}, {@code create} or {@code update}. */
  public String verb() {
    return verb;
  }

  /** The resource that was attempted, such as {@code leases.coordination.k8s.io}. */
  public String resource() {
    return resource;
  }

  /** The HTTP status as {@code status}, the {@code reason}, and what was {@code refused}. */
  @Override
  public Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("status", statusCode);
    details.put("reason", reason);
    details.put("refused", verb + " " + resource);
    return Collections.unmodifiableMap(details);
  }

  /** Whether the API server refused the call for lack of permission (HTTP 403). */
  public boolean isForbidden() {
    return statusCode == 403;
  }
}
