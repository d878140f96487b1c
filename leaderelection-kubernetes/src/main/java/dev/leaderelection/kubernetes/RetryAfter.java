package dev.leaderelection.kubernetes;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What an API server that sheds load asked of one lock's calls, honoured as client-go honours
 * it: an answer of 429 Too Many Requests (or any 5xx) with a {@code Retry-After} of N seconds
 * means no request of this lock before N seconds from then. A call that may not be sent yet
 * waits when the wait ends before its deadline, and otherwise fails at once, unsent: while the
 * server sheds load a lock sends at most one request per Retry-After, however often its election
 * asks. A Retry-After of 0 counts as {@value #MIN_SECONDS} second, one above
 * {@value #MAX_SECONDS} as {@value #MAX_SECONDS}; an HTTP date is ignored. Times are
 * {@link System#nanoTime()}, OkHttp's clock. Thread-safe.
 */
final class RetryAfter {

  /** The shortest wait an answer can ask for: no retry sooner, however it is asked. */
  static final long MIN_SECONDS = 1;
  /** The longest wait honoured: a server that asks more still gets a request after it. */
  static final long MAX_SECONDS = 60;

  private long notBeforeNanos;
  private boolean asked;

  /**
   * The wait an answer asks for: its {@code Retry-After} in whole seconds when its status is 429
   * or 5xx; empty for any other answer, or without a usable header.
   */
  static OptionalLong askedNanos(int statusCode, @Nullable Map<String, List<String>> headers) {
    if ((statusCode != 429 && statusCode < 500) || headers == null) {
      return OptionalLong.empty();
    }
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if ("Retry-After".equalsIgnoreCase(header.getKey()) && header.getValue() != null
          && !header.getValue().isEmpty()) {
        try {
          long seconds = Long.parseLong(header.getValue().get(0).trim());
          if (seconds < 0) {
            return OptionalLong.empty();
          }
          return OptionalLong.of(TimeUnit.SECONDS.toNanos(
              Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, seconds))));
        } catch (NumberFormatException httpDate) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }

  /** An answer that arrived at {@code nowNanos} asked for {@code waitNanos}. */
  synchronized void asked(long nowNanos, long waitNanos) {
    long notBefore = nowNanos + waitNanos;
    if (!asked || notBefore - notBeforeNanos > 0) {
      notBeforeNanos = notBefore;
      asked = true;
    }
  }

  /** How long from {@code nowNanos} until a request may be sent; 0 when it may go now. */
  synchronized long waitNanos(long nowNanos) {
    return asked ? Math.max(0, notBeforeNanos - nowNanos) : 0;
  }
}
