package dev.leaderelection.etcd;

import dev.leaderelection.LeaseLockException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * etcd refused or failed a call of an {@link EtcdLeaseLock}, or did not answer in time. Carries
 * etcd's status code (a gRPC code name such as {@code PERMISSION_DENIED}, {@code UNAVAILABLE} or
 * {@code DEADLINE_EXCEEDED}), the operation and key that were attempted, and the endpoints that
 * were asked. Never carries credentials. Immutable.
 *
 * @since 0.2.0
 */
public final class EtcdLockException extends LeaseLockException {

  private static final long serialVersionUID = 1L;

  private final String code;
  private final String reason;
  private final String operation;
  private final String key;
  private final String endpoints;

  EtcdLockException(String message, String code, String reason, String operation, String key,
      String endpoints, @Nullable Throwable cause) {
    super(message, cause);
    this.code = code;
    this.reason = reason;
    this.operation = operation;
    this.key = key;
    this.endpoints = endpoints;
  }

  /**
   * etcd's status code, as the name of the gRPC code: {@code PERMISSION_DENIED},
   * {@code UNAUTHENTICATED}, {@code INVALID_ARGUMENT} (e.g. a wrong password),
   * {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED} when no answer arrived in time, and so on.
   */
  public String code() {
    return code;
  }

  /**
   * Why the call failed, in a few words an operator acts on: {@code unreachable},
   * {@code TLS handshake failed}, {@code authentication failed}, {@code permission denied on the
   * key}, {@code no answer in time}, {@code history compacted}, or else the code in lower case.
   */
  public String reason() {
    return reason;
  }

  /** {@code code}, {@code reason}, {@code endpoints} and {@code key}, for health responses. */
  @Override
  public Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("code", code);
    details.put("reason", reason);
    details.put("endpoints", endpoints);
    details.put("key", key);
    return Collections.unmodifiableMap(details);
  }

  /** The operation that was attempted: {@code get}, {@code create}, {@code update} or
   * {@code watch}. */
  public String operation() {
    return operation;
  }

  /** The key of the election record. */
  public String key() {
    return key;
  }

  /** The endpoints the call went to, comma-separated, or a description of the given client. */
  public String endpoints() {
    return endpoints;
  }

  /** Whether etcd refused the call for lack of permission on the key. */
  public boolean isPermissionDenied() {
    return "PERMISSION_DENIED".equals(code);
  }
}
