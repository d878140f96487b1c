package dev.leaderelection.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.openapi.models.V1StatusDetails;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.Request;
import okhttp3.Response;
import okio.AsyncTimeout;
import org.jspecify.annotations.Nullable;

/**
 * Executes the calls of one lock with a timeout on each call, and turns failures into
 * {@link KubernetesApiException}s that say what was refused and how to fix it. Requests are
 * built by the application's {@code ApiClient} and sent through the {@link LockClient} of the
 * locks, never on the application's dispatcher. An API server shedding load is honoured
 * ({@link RetryAfter}): a call answered 429 (or 5xx) with a {@code Retry-After} is sent again
 * after it when that fits within the call's timeout, and otherwise fails at once; a call made
 * before that time waits, or fails unsent.
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: public only so that its
 * {@code watch}, {@code events} and {@code coordinated} packages can reach it (the
 * LeaseCandidates' calls, the watches' streams, the Events' failures); it may change in any
 * release.
 */
public final class ApiCalls {

  /** The field manager every object this library writes is written under. */
  public static final String FIELD_MANAGER = "leaderelection";

  private final LockClient http;
  private final ApiClient client;
  private final Duration timeout;
  private final ObjectReference object;
  private final AccessReview access;
  private final RetryAfter retryAfter = new RetryAfter();

  /** The calls of a lock, whose refusals name the lock's verbs (get, create, update, watch). */
  public ApiCalls(LockClient http, Duration timeout, ObjectReference object) {
    this(http, timeout, object, AccessReview.lockVerbs(), Set.of("create"));
  }

  /**
   * Calls whose refusals (HTTP 403) name those of {@code verbs} this identity lacks: on the
   * object, or for {@code collectionVerbs} on its resource in the namespace.
   */
  public ApiCalls(LockClient http, Duration timeout, ObjectReference object, List<String> verbs,
      Set<String> collectionVerbs) {
    this.http = http;
    this.client = http.apiClient();
    this.timeout = timeout;
    this.object = object;
    this.access = new AccessReview(http, timeout, object, verbs, collectionVerbs);
  }

  /** Builds an HTTP call; the generated API throws {@link ApiException} while building. */
  @FunctionalInterface
  public interface CallBuilder {
    Call build() throws ApiException;
  }

  /** An open long-lived response and the call that can cancel it from any thread. */
  public record Stream(Call call, Response response) {
  }

  /**
   * Opens a long-lived response (a watch) on the locks' client: its headers must arrive within
   * the request timeout (a timer cancels the call otherwise), and each read of its body may then
   * wait {@code readTimeout}, which outlasts the server's watch timeout, so a dead connection is
   * noticed.
   */
  public Stream stream(String verb, CallBuilder builder, Duration readTimeout) {
    if (http.isClosed()) {
      throw closed(verb);
    }
    Call call;
    try {
      Request request = builder.build().request();
      call = http.http().newBuilder().readTimeout(readTimeout).build().newCall(request);
    } catch (ApiException e) {
      throw translate(verb, e);
    } catch (RuntimeException e) {
      throw new KubernetesApiException("Could not " + verb + " " + object + ": "
          + e.getMessage(), 0, "BadRequest", verb, object.resource(), e);
    }
    AsyncTimeout headers = new AsyncTimeout() {
      @Override
      protected void timedOut() {
        call.cancel();
      }
    };
    headers.timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    Response response;
    headers.enter();
    try {
      response = call.execute();
    } catch (IOException e) {
      IOException cause = headers.exit() ? new InterruptedIOException("timeout") : e;
      throw translate(verb, new ApiException(cause));
    } catch (Exception e) {
      headers.exit();
      throw unexpected(verb, e);
    }
    if (headers.exit()) {
      response.close();
      throw translate(verb, new ApiException(new InterruptedIOException("timeout")));
    }
    if (!response.isSuccessful()) {
      String body;
      try (response) {
        body = response.body().string();
      } catch (IOException e) {
        body = null;
      }
      throw translate(verb, new ApiException(response.code(), response.headers().toMultimap(),
          body));
    }
    return new Stream(call, response);
  }

  public ObjectReference object() {
    return object;
  }

  /** The application's client, which builds the requests. */
  public ApiClient client() {
    return client;
  }

  LockClient lockClient() {
    return http;
  }

  /**
   * Sends a call and waits for its answer, within the request timeout; after a 429 with a
   * {@code Retry-After} that fits in what is left of it, sends it again (see {@link RetryAfter}).
   */
  public <T> T execute(String verb, CallBuilder builder, Type returnType) {
    long end = System.nanoTime() + timeout.toNanos();
    @Nullable ApiException refused = null;
    while (true) {
      long wait = waitToSend(verb, end, refused);
      try {
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      } catch (InterruptedException e) {
        throw unexpected(verb, e);
      }
      Call call = newCall(verb, builder, end);
      try {
        return client.<T>execute(call, returnType).getData();
      } catch (ApiException e) {
        if (!pushedBack(e)) {
          throw translate(verb, e);
        }
        refused = e;
      } catch (Exception e) {
        throw unexpected(verb, e);
      }
    }
  }

  /**
   * When calls made one after another as one operation must all have been answered: one request
   * timeout after the operation began, on OkHttp's clock ({@link System#nanoTime()}).
   */
  record Deadline(long nanoTime) {
  }

  /** A deadline one request timeout from now, for calls that together count as one. */
  Deadline deadline() {
    return new Deadline(System.nanoTime() + timeout.toNanos());
  }

  /**
   * Starts a call on the locks' dispatcher without holding the calling thread, under the same
   * timeout as {@link #execute}, and sent again after a fitting {@code Retry-After} as it sends
   * it. The future completes on the dispatcher's thread with {@code answer} of the object
   * returned, or {@code failed} of the {@link KubernetesApiException} the call failed with
   * (either may throw, failing the future); cancelling it cancels the call.
   */
  <T, R> CompletableFuture<R> executeAsync(String verb, CallBuilder builder, Type returnType,
      Function<T, R> answer, Function<KubernetesApiException, R> failed) {
    return executeAsync(verb, builder, returnType, answer, failed, null);
  }

  /**
   * {@link #executeAsync(String, CallBuilder, Type, Function, Function)}, failing with a timeout
   * at {@code deadline} at the latest when one is given, even if the call began later.
   */
  <T, R> CompletableFuture<R> executeAsync(String verb, CallBuilder builder, Type returnType,
      Function<T, R> answer, Function<KubernetesApiException, R> failed,
      @Nullable Deadline deadline) {
    long end = System.nanoTime() + timeout.toNanos();
    if (deadline != null && deadline.nanoTime() - end < 0) {
      end = deadline.nanoTime();
    }
    AsyncApiCall<T, R> call = new AsyncApiCall<>(this, verb, builder, returnType, answer, failed,
        end);
    call.start();
    return call.future();
  }

  /**
   * The call of {@code builder} on the locks' client, answered by {@code end}
   * ({@link System#nanoTime()}) at the latest, not yet sent.
   */
  Call newCall(String verb, CallBuilder builder, long end) {
    if (http.isClosed()) {
      throw closed(verb);
    }
    Call call;
    try {
      call = http.call(builder.build());
    } catch (ApiException e) {
      throw translate(verb, e);
    } catch (RuntimeException e) {
      throw unexpected(verb, e);
    }
    call.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    call.timeout().deadlineNanoTime(end);
    return call;
  }

  /** Whether {@code e} asked for a wait before the next request; notes it if so. */
  boolean pushedBack(ApiException e) {
    OptionalLong wait = RetryAfter.askedNanos(e.getCode(), e.getResponseHeaders());
    wait.ifPresent(nanos -> retryAfter.asked(System.nanoTime(), nanos));
    return wait.isPresent();
  }

  /**
   * How long a call answered by {@code end} must wait before it is sent: 0 for now.
   *
   * @param refused the answer that asked for the wait, if this call got one
   * @throws KubernetesApiException when the wait does not end before {@code end}
   */
  long waitToSend(String verb, long end, @Nullable ApiException refused) {
    long now = System.nanoTime();
    long wait = retryAfter.waitNanos(now);
    if (wait > 0 && now + wait - end >= 0) {
      throw overloaded(verb, wait, refused);
    }
    return wait;
  }

  /**
   * The server asked to wait {@code waitNanos}, longer than the call may; the message stays the
   * same while the server sheds load, so the election logs it once.
   */
  private KubernetesApiException overloaded(String verb, long waitNanos,
      @Nullable ApiException refused) {
    if (refused != null) {
      KubernetesApiException failure = translate(verb, refused);
      long asked = TimeUnit.NANOSECONDS.toSeconds(RetryAfter.askedNanos(refused.getCode(),
          refused.getResponseHeaders()).orElse(waitNanos));
      String message = failure.getMessage();
      return new KubernetesApiException(message + (message.endsWith(".") ? " " : ". ")
          + "It asked to retry after " + asked + " s (Retry-After), later than the call's "
          + timeout.toMillis() + "ms timeout allows, so the call fails now",
          failure.statusCode(), failure.reason(), verb, object.resource(), refused);
    }
    return new KubernetesApiException("The Kubernetes API sheds load: it answered HTTP 429 and "
        + "asked to wait (Retry-After) before the next request about " + object + ", longer "
        + "than the call's " + timeout.toMillis() + "ms timeout allows, so " + verb
        + " was not sent", 429, "TooManyRequests", verb, object.resource(), null);
  }

  private KubernetesApiException closed(String verb) {
    return new KubernetesApiException("The KubernetesLocks that made the lock on " + object
        + " was closed, so " + verb + " was not sent", 0, "Closed", verb, object.resource(),
        null);
  }

  /**
   * A failure other than an API error: an interruption (OkHttp, in Kotlin, throws
   * {@link InterruptedException} undeclared when its thread is interrupted), or an answer that
   * could not be understood.
   */
  KubernetesApiException unexpected(String verb, Exception e) {
    if (e instanceof InterruptedException || e.getCause() instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new KubernetesApiException("Interrupted while asking the Kubernetes API to " + verb
          + " " + object, 0, "Interrupted", verb, object.resource(), e);
    }
    return new KubernetesApiException("The answer of the Kubernetes API to " + verb + " "
        + object + " was not understood: " + e.getMessage(), 0, "BadResponse", verb,
        object.resource(), e);
  }

  KubernetesApiException translate(String verb, ApiException e) {
    int code = e.getCode();
    if (code == 0) {
      boolean timedOut = e.getCause() instanceof InterruptedIOException;
      String message = timedOut
          ? "The Kubernetes API did not answer " + verb + " " + object + " within "
              + timeout.toMillis() + "ms"
          : "Could not reach the Kubernetes API to " + verb + " " + object + ": "
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
      return new KubernetesApiException(message, 0, timedOut ? "Timeout" : "Unreachable", verb,
          object.resource(), e);
    }
    Status status = Status.parse(e.getResponseBody(), code);
    return new KubernetesApiException(explain(verb, code, status), code, status.reason(), verb,
        object.resource(), e);
  }

  private String explain(String verb, int code, Status status) {
    String refused = "The Kubernetes API refused to " + verb + " " + object + " (HTTP " + code
        + " " + status.reason() + ")";
    return switch (code) {
      case 401 -> refused + ": the credentials were not accepted (an expired or revoked token?)";
      case 403 -> status.isNamespaceTerminating()
          ? refused + ": namespace '" + object.namespace() + "' is being deleted, and nothing "
              + "can be created in it until it is gone; no permission is missing"
          : refused + ": " + status.message() + ". " + grant(verb);
      case 404 -> refused + ": " + (status.kind().equals("namespaces")
          ? "namespace '" + object.namespace() + "' does not exist" : status.message());
      default -> refused + ": " + status.message();
    };
  }

  /** What to grant: every verb the lock lacks (asked of the server), else the refused one. */
  private String grant(String refusedVerb) {
    List<String> verbs = access.missingVerbs().filter(missing -> !missing.isEmpty())
        .orElse(List.of(refusedVerb));
    String named = verbs.size() == 1 ? "the verb '" + verbs.get(0) + "'"
        : "the verbs '" + String.join("', '", verbs.subList(0, verbs.size() - 1)) + "' and '"
            + verbs.get(verbs.size() - 1) + "'";
    return "Grant " + named + " on '" + object.resourceName() + "' in "
        + (object.group().isEmpty() ? "the core API group" : "API group '" + object.group()
            + "'") + " in namespace '" + object.namespace()
        + "' to this identity (see the RBAC section of docs/kubernetes.md)";
  }

  /** The parts of a {@code v1.Status} answer that explain a failure. */
  public record Status(String reason, String message, String kind, String causes) {

    /** Creating in a namespace that is being deleted: a 403 that no Role can fix. */
    boolean isNamespaceTerminating() {
      return causes.contains("NamespaceTerminating")
          || message.contains("because it is being terminated");
    }

    /** The Status the server answered with, or a stand-in when the body is not one. */
    public static Status parse(@Nullable String body, int code) {
      try {
        V1Status status = body == null ? null : JSON.deserialize(body, V1Status.class);
        if (status != null) {
          V1StatusDetails details = status.getDetails();
          List<V1StatusCause> causes = details == null || details.getCauses() == null
              ? List.of() : details.getCauses();
          return new Status(Objects.requireNonNullElse(status.getReason(), "HTTP " + code),
              Objects.requireNonNullElse(status.getMessage(), ""),
              details == null ? "" : Objects.requireNonNullElse(details.getKind(), ""),
              causes.stream().map(cause -> cause.getReason() + ": " + cause.getMessage())
                  .collect(Collectors.joining("; ")));
        }
      } catch (RuntimeException notStatus) {
        // fall through: the body was not a Status
      }
      return new Status("HTTP " + code, "no explanation from the server", "", "");
    }
  }
}
