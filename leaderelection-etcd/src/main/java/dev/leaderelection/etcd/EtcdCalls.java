package dev.leaderelection.etcd;

import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Executes the calls of one lock with a timeout on each (cancelling a call that outlives it), and
 * turns failures into {@link EtcdLockException}s that name the endpoints, etcd's code and what to
 * do about it. Thread-safe.
 */
final class EtcdCalls {

  private static final String NO_ANSWER = "no answer in time";
  /** Words of a failed TLS handshake in the answers of gRPC and Netty. */
  private static final Pattern TLS_WORDS =
      Pattern.compile("ssl|handshake|certificate|pkix|subject alternative name");

  private final String key;
  private final String endpoints;
  private final Duration timeout;

  EtcdCalls(String key, String endpoints, Duration timeout) {
    this.key = key;
    this.endpoints = endpoints;
    this.timeout = timeout;
  }

  Duration timeout() {
    return timeout;
  }

  /** Starts a call and waits for its answer, at most the request timeout. */
  <T> T call(String operation, Supplier<CompletableFuture<T>> request) {
    return await(operation, callAsync(operation, request, answer -> answer));
  }

  /**
   * Starts a call without waiting: its future completes with {@code answer} of etcd's, or fails
   * with an {@link EtcdLockException} (at the latest after the request timeout; what
   * {@code answer} throws, as is). Cancelling it cancels the call.
   */
  <T, R> CompletableFuture<R> callAsync(String operation, Supplier<CompletableFuture<T>> request,
      Function<T, R> answer) {
    CompletableFuture<T> call;
    try {
      call = request.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failure(operation, e));
    }
    CompletableFuture<T> bounded = call.copy().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    CompletableFuture<R> answered = bounded.handle((value, failure) -> {
      if (failure == null) {
        return answer.apply(value);
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof TimeoutException) {
        call.cancel(true);
        throw new CompletionException(new EtcdLockException("etcd at " + endpoints
            + " did not answer " + operation + " of key " + key + " within "
            + timeout.toMillis() + "ms", "DEADLINE_EXCEEDED", NO_ANSWER, operation, key,
            endpoints, cause));
      }
      throw new CompletionException(failure(operation, cause));
    });
    answered.whenComplete((ignored, failure) -> {
      if (answered.isCancelled()) {
        call.cancel(true);
      }
    });
    return answered;
  }

  /** Waits for a call of {@link #callAsync}; throws what it failed with. */
  <R> R await(String operation, CompletableFuture<R> call) {
    try {
      return call.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw failure(operation, e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new EtcdLockException("Interrupted while asking etcd at " + endpoints + " to "
          + operation + " key " + key, "CANCELLED", "interrupted", operation, key, endpoints, e);
    }
  }

  /** A failed call, explained: what etcd answered, and how to fix it where that is known. */
  EtcdLockException failure(String operation, Throwable e) {
    String code = code(e);
    if (e instanceof CompactedException compacted) {
      return new EtcdLockException("etcd at " + endpoints + " compacted its history past revision "
          + compacted.getCompactedRevision() + " before the " + operation + " of key " + key
          + " could start from there; the record is read again", code, "history compacted",
          operation, key, endpoints, e);
    }
    String detail = detail(e);
    String answer = detail == null || detail.isBlank() ? code : code + ": " + detail;
    String refused = "etcd at " + endpoints + " refused to " + operation + " key " + key + " ("
        + answer + ")";
    String message = switch (code) {
      case "PERMISSION_DENIED" -> refused + ": grant this user's role readwrite permission on "
          + "the key and the keys under it (etcdctl role grant-permission --prefix=true <role> "
          + "readwrite " + key + ")";
      case "UNAUTHENTICATED", "INVALID_ARGUMENT" -> answer.contains("authentication failed")
          ? refused + ": the user name or password was not accepted"
          : code.equals("UNAUTHENTICATED") ? refused + ": authentication is enabled, and no "
              + "valid credentials were given" : refused;
      case "DEADLINE_EXCEEDED" -> "etcd at " + endpoints + " did not answer " + operation
          + " of key " + key + " within " + timeout.toMillis() + "ms (" + answer + ")";
      case "UNAVAILABLE" -> "Could not reach etcd at " + endpoints + " to " + operation + " key "
          + key + " (" + answer + ")";
      default -> refused;
    };
    return new EtcdLockException(message, code, reason(code, answer), operation, key, endpoints,
        e);
  }

  /** The few words of {@link EtcdLockException#reason()}, from the code and etcd's answer. */
  private static String reason(String code, String answer) {
    String lower = answer.toLowerCase(Locale.ROOT);
    return switch (code) {
      case "PERMISSION_DENIED" -> "permission denied on the key";
      case "UNAUTHENTICATED" -> "authentication failed";
      case "INVALID_ARGUMENT" -> lower.contains("authentication failed")
          ? "authentication failed" : "invalid argument";
      case "DEADLINE_EXCEEDED" -> NO_ANSWER;
      case "UNAVAILABLE" -> TLS_WORDS.matcher(lower).find()
          ? "TLS handshake failed" : "unreachable";
      default -> code.toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }

  /**
   * etcd's explanation: gRPC's status description (without the code gRPC puts before it), and
   * what its causes add, such as why authentication or a TLS handshake failed.
   */
  private static @Nullable String detail(Throwable e) {
    String own;
    if (e instanceof EtcdException) {
      own = e.getMessage();
    } else if (e instanceof StatusRuntimeException || e instanceof StatusException) {
      own = Status.fromThrowable(e).getDescription();
    } else {
      own = e.toString();
    }
    Throwable cause = e.getCause();
    String deeper = cause == null || cause == e ? null : detail(cause);
    if (own == null || own.isBlank()) {
      return deeper;
    }
    own = own.lines().findFirst().orElse(own); // gRPC adds the channel's pipeline on a new line
    return deeper == null || own.contains(deeper) ? own : own + "; " + deeper;
  }

  private static String code(Throwable e) {
    if (e instanceof EtcdException etcd) {
      return etcd.getErrorCode().name();
    }
    Status status = Status.fromThrowable(e);
    return status.getCode() == Status.Code.UNKNOWN ? "UNKNOWN" : status.getCode().name();
  }
}
