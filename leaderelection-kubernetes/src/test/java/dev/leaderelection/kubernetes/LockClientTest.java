package dev.leaderelection.kubernetes;

import static dev.leaderelection.kubernetes.FakeLeaseServer.NAME;
import static dev.leaderelection.kubernetes.FakeLeaseServer.NAMESPACE;
import static dev.leaderelection.kubernetes.FakeLeaseServer.SLOW_PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The locks' calls go through a dispatcher of their own, derived from the application's client
 * without changing it: against a real HTTP server standing in for the API server, an application
 * whose asynchronous calls fill its client's dispatcher (OkHttp's 5 requests per host, and more
 * waiting) does not hold up a lock's call.
 */
class LockClientTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long WAIT_SECONDS = 30;

  private FakeLeaseServer server;
  private OkHttpClient applicationHttp;
  private ApiClient application;
  private KubernetesLocks locks;

  @BeforeEach
  void start() throws Exception {
    server = new FakeLeaseServer("pod-a", 5);
    applicationHttp = new OkHttpClient();
    application = new ApiClient().setHttpClient(applicationHttp).setBasePath(server.basePath());
    locks = KubernetesLocks.create(application);
  }

  @AfterEach
  void stop() {
    locks.close();
    server.close();
    applicationHttp.dispatcher().executorService().shutdownNow();
  }

  @Test
  void lockCallShouldNotWaitBehindTheApplicationsAsynchronousCalls() throws Exception {
    LeaseLock lock = locks.lease(NAMESPACE, NAME, TIMEOUT);
    Dispatcher dispatcher = applicationHttp.dispatcher();
    AtomicInteger answered = new AtomicInteger();
    for (int i = 0; i < 20; i++) {
      applicationHttp.newCall(new Request.Builder().url(server.basePath() + SLOW_PATH).build())
          .enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
            }

            @Override
            public void onResponse(Call call, Response response) {
              response.close();
              answered.incrementAndGet();
            }
          });
    }
    Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS)
        .until(() -> dispatcher.runningCallsCount() == 5);

    LeaderRecord read = answer(lock.getAsync()).orElseThrow();
    LeaderRecord renewed = answer(lock.updateAsync(read.toBuilder()
        .renewTime(read.renewTime().plusSeconds(1)).build()));

    assertThat(renewed.version()).isEqualTo("6");
    assertThat(answered).hasValue(0);
    assertThat(dispatcher.queuedCallsCount()).as("the application's calls still waiting")
        .isEqualTo(15);
    assertThat(application.getHttpClient()).isSameAs(applicationHttp);
    assertThat(dispatcher.getMaxRequestsPerHost()).as("the application's limit, unchanged")
        .isEqualTo(5);
    server.answerSlowRequests();
    Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).until(() -> answered.get() == 20);
  }

  @Test
  void limitShouldGrowWithTheLocksMadeFromFourToSixtyFour() {
    assertThat(LockClient.limitFor(0)).isEqualTo(4);
    assertThat(LockClient.limitFor(1)).isEqualTo(4);
    assertThat(LockClient.limitFor(3)).isEqualTo(6);
    assertThat(LockClient.limitFor(32)).isEqualTo(64);
    assertThat(LockClient.limitFor(1000)).isEqualTo(64);

    for (int i = 0; i < 5; i++) {
      locks.lease(NAMESPACE, "lease-" + i, TIMEOUT);
    }

    assertThat(locks.concurrencyLimit()).isEqualTo(10);
  }

  @Test
  void closedLocksShouldSendNothingAndLeaveTheApplicationsClientWorking() throws Exception {
    LeaseLock lock = locks.lease(NAMESPACE, NAME, TIMEOUT);
    assertThat(lock.get()).isPresent();

    locks.close();

    assertThatThrownBy(lock::get).isInstanceOf(KubernetesApiException.class)
        .hasMessage("The KubernetesLocks that made the lock on leases.coordination.k8s.io "
            + "payments/report-job was closed, so get was not sent");
    assertThatThrownBy(() -> answer(lock.getAsync())).cause()
        .isInstanceOf(KubernetesApiException.class).hasMessageEndingWith("was not sent");
    server.answerSlowRequests();
    try (Response response = applicationHttp.newCall(new Request.Builder()
        .url(server.basePath() + SLOW_PATH).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
  }

  private static <T> T answer(CompletableFuture<T> call) throws Exception {
    return call.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
