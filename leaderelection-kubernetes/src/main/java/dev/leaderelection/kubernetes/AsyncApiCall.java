package dev.leaderelection.kubernetes;

import dev.leaderelection.kubernetes.ApiCalls.CallBuilder;
import io.kubernetes.client.openapi.ApiCallback;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Call;
import org.jspecify.annotations.Nullable;

/**
 * One call of {@link ApiCalls#executeAsync}: sent on the locks' dispatcher and, when the server
 * asks to retry after a while that ends before the call's deadline, sent again then (the wait on
 * the {@link LockClient}'s timer, holding no thread). Its future completes once, with the answer
 * or the failure; cancelling it cancels the request in flight or the retry waiting. Thread-safe.
 */
final class AsyncApiCall<T, R> {

  private final ApiCalls calls;
  private final String verb;
  private final CallBuilder builder;
  private final Type returnType;
  private final Function<T, R> answer;
  private final Function<KubernetesApiException, R> failed;
  private final long end;
  private final CompletableFuture<R> future = new CompletableFuture<>();
  /** The request in flight (a {@link Call}) or the retry waiting (a {@link Future}). */
  private final AtomicReference<@Nullable Object> inFlight = new AtomicReference<>();

  /** @param end when the call must have been answered, on {@link System#nanoTime()} */
  AsyncApiCall(ApiCalls calls, String verb, CallBuilder builder, Type returnType,
      Function<T, R> answer, Function<KubernetesApiException, R> failed, long end) {
    this.calls = calls;
    this.verb = verb;
    this.builder = builder;
    this.returnType = returnType;
    this.answer = answer;
    this.failed = failed;
    this.end = end;
    future.whenComplete((ignored, failure) -> {
      if (future.isCancelled()) {
        cancelInFlight();
      }
    });
  }

  CompletableFuture<R> future() {
    return future;
  }

  /** Sends the call now, or once the server's Retry-After has passed. */
  void start() {
    attempt(null);
  }

  /** @param refused the answer that asked for a wait, if one did */
  private void attempt(@Nullable ApiException refused) {
    if (future.isDone()) {
      return;
    }
    long wait;
    try {
      wait = calls.waitToSend(verb, end, refused);
    } catch (KubernetesApiException e) {
      fail(e);
      return;
    }
    if (wait == 0) {
      send();
      return;
    }
    try {
      track(calls.lockClient().schedule(this::send, wait));
    } catch (RejectedExecutionException closed) {
      send(); // fails as closed
    }
  }

  private void send() {
    if (future.isDone()) {
      return;
    }
    Call call;
    try {
      call = calls.newCall(verb, builder, end);
    } catch (KubernetesApiException e) {
      fail(e);
      return;
    }
    if (!track(call)) {
      return;
    }
    calls.client().executeAsync(call, returnType, new ApiCallback<T>() {
      @Override
      public void onFailure(ApiException e, int statusCode, Map<String, List<String>> headers) {
        if (calls.pushedBack(e)) {
          attempt(e);
          return;
        }
        // Code 0 with a cause other than I/O: the answer arrived but could not be read.
        fail(e.getCode() == 0 && e.getCause() instanceof Exception cause
            && !(cause instanceof IOException) ? calls.unexpected(verb, cause)
            : calls.translate(verb, e));
      }

      @Override
      public void onSuccess(T result, int statusCode, Map<String, List<String>> headers) {
        complete(() -> answer.apply(result));
      }

      @Override
      public void onUploadProgress(long written, long total, boolean done) {
      }

      @Override
      public void onDownloadProgress(long read, long total, boolean done) {
      }
    });
  }

  /** Notes what is in flight now; false (and cancels it) when the future was cancelled. */
  private boolean track(Object current) {
    inFlight.set(current);
    if (future.isCancelled()) {
      cancelInFlight();
      return false;
    }
    return true;
  }

  private void cancelInFlight() {
    Object current = inFlight.get();
    if (current instanceof Call call) {
      call.cancel();
    } else if (current instanceof Future<?> retry) {
      retry.cancel(false);
    }
  }

  private void fail(KubernetesApiException failure) {
    complete(() -> failed.apply(failure));
  }

  private void complete(Supplier<R> result) {
    try {
      future.complete(result.get());
    } catch (RuntimeException e) {
      future.completeExceptionally(e);
    }
  }
}
