package dev.leaderelection.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The client the calls of one {@link KubernetesLocks} go through, so that the application's own
 * traffic on its {@code ApiClient} never queues them: requests are built by the application's
 * {@code ApiClient} (its base path, credentials and default headers, as they are when each call
 * is made) and sent on an {@code OkHttpClient} derived from its (the same connection pool, TLS
 * settings, interceptors and timeouts) with an OkHttp dispatcher of its own. The application's
 * client is never changed.
 *
 * <p>The dispatcher's limit is this library's choice, not OkHttp's default of 5 requests per
 * host: {@link #PER_LOCK} requests per lock made (a round's call, and a release that may
 * overlap it), at least {@link #MIN_REQUESTS} and at most {@link #MAX_REQUESTS}, so that up to
 * {@code MAX_REQUESTS / PER_LOCK} locks never wait for each other's calls. OkHttp runs each
 * request on a thread of the dispatcher's pool, so the limit also bounds its threads; idle
 * threads end after 60 seconds, and closing ends them all.
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: public only so that its
 * {@code events} and {@code coordinated} packages can send through it; it may change in any
 * release. Thread-safe.
 */
public final class LockClient implements AutoCloseable {

  /** Requests the locks may have running at once however few locks there are. */
  static final int MIN_REQUESTS = 4;
  /** Requests one lock may have running at once: a round's call and a release. */
  static final int PER_LOCK = 2;
  /**
   * Requests the locks of one {@code KubernetesLocks} may have running at once, however many
   * there are: at 100 ms a request, 640 requests a second, six times what 1,000 elections
   * renewing every 10 seconds send.
   */
  static final int MAX_REQUESTS = 64;

  private final ApiClient client;
  private final ThreadPoolExecutor executor;
  private final Dispatcher dispatcher;
  private final OkHttpClient http;
  private final AtomicInteger locks = new AtomicInteger();
  private final ScheduledThreadPoolExecutor timer;

  private LockClient(ApiClient client) {
    this.client = client;
    AtomicInteger threads = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "leader-election-http-"
              + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    this.dispatcher = new Dispatcher(executor);
    dispatcher.setMaxRequests(MIN_REQUESTS);
    dispatcher.setMaxRequestsPerHost(MIN_REQUESTS);
    this.http = client.getHttpClient().newBuilder().dispatcher(dispatcher).build();
    this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "leader-election-retry-after");
      thread.setDaemon(true);
      return thread;
    });
    timer.setKeepAliveTime(60, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    timer.setRemoveOnCancelPolicy(true);
  }

  /** A client of its own for the locks, derived from {@code client}. */
  public static LockClient derivedFrom(ApiClient client) {
    return new LockClient(client);
  }

  /** The application's client, which builds the requests (and is never changed). */
  public ApiClient apiClient() {
    return client;
  }

  /** The derived HTTP client: the application's, with the locks' own dispatcher. */
  public OkHttpClient http() {
    return http;
  }

  /**
   * The request of {@code built} (a call the application's client built) as a call on the
   * derived client, not yet sent.
   */
  public Call call(Call built) {
    return http.newCall(built.request());
  }

  /**
   * Runs {@code task} (which must not block) in {@code delayNanos}: a retry the API server asked
   * for. The timer's one thread ends when it has been idle for 60 seconds.
   *
   * @throws java.util.concurrent.RejectedExecutionException when closed
   */
  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    return timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Whether {@link #close()} was called: calls are no longer sent. */
  public boolean isClosed() {
    return executor.isShutdown();
  }

  /** A lock was made: the limit grows by {@link #PER_LOCK}, up to {@link #MAX_REQUESTS}. */
  void lockMade() {
    int limit = limitFor(locks.incrementAndGet());
    dispatcher.setMaxRequests(limit);
    dispatcher.setMaxRequestsPerHost(limit);
  }

  /** The limit for {@code locks} locks. */
  static int limitFor(int locks) {
    return Math.min(MAX_REQUESTS, Math.max(MIN_REQUESTS, PER_LOCK * locks));
  }

  /** The dispatcher's limit now: requests running at once, to one API server or in all. */
  int concurrencyLimit() {
    return dispatcher.getMaxRequestsPerHost();
  }

  /** The dispatcher; for tests. */
  Dispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * No call is sent from now on; requests running finish, and the dispatcher's threads end when
   * they have; a retry waiting fails, unsent, when its time comes (within its call's timeout), and
   * the timer's thread ends then. Idempotent.
   */
  @Override
  public void close() {
    executor.shutdown();
    timer.shutdown();
  }
}
