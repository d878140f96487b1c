package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes locks' non-blocking calls on a real API server, behind Toxiproxy: a call slower
 * than its timeout fails with the timeout and leaves no request running; cancelling a call, or
 * closing an elector whose read is in flight, stops the HTTP request at once (well before its
 * own timeout). What runs is read from an OkHttp {@code EventListener} on the client, which the
 * locks' own client, derived from it, keeps: a request runs from its start to its end or failure
 * (watches aside: the namespace's shared watch stays open while its {@code KubernetesLocks}
 * lives).
 */
class AsyncLockCallsIT {

  private static final String CLIENT = "async-client";
  private static final String NAMESPACE = "async-calls";
  private static final Duration LONG_TIMEOUT = Duration.ofSeconds(60);

  private static KubernetesStore store;
  private static NetworkFaults network;
  private static ApiClient client;
  private static KubernetesLocks locks;
  private static final Set<Call> running = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void startServers() throws Exception {
    assumeTrue("true".equals(System.getenv("CI")) || Binaries.available(),
        "needs KUBE_LAUNCHER and TOXIPROXY_SERVER, or Go to build them; skipped");
    Path work = Path.of("target", "async-lock-calls-" + System.currentTimeMillis());
    store = KubernetesStore.start(work, NAMESPACE);
    network = NetworkFaults.start(Binaries.toxiproxy(), work.resolve("toxiproxy.log"));
    client = Config.fromConfig(store.serverFor(network.proxy(CLIENT, store.port())));
    client.setHttpClient(client.getHttpClient().newBuilder().eventListener(new EventListener() {
      @Override
      public void callStart(Call call) {
        running.add(call);
      }

      @Override
      public void callEnd(Call call) {
        running.remove(call);
      }

      @Override
      public void callFailed(Call call, IOException failure) {
        running.remove(call);
      }
    }).build());
    locks = KubernetesLocks.create(client);
  }

  @AfterAll
  static void stopServers() {
    if (locks != null) {
      locks.close();
    }
    if (network != null) {
      network.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @AfterEach
  void heal() throws Exception {
    network.heal(CLIENT);
  }

  @Test
  void callSlowerThanItsTimeoutShouldFailWithTheTimeoutAndLeaveNoRequestRunning()
      throws Exception {
    LeaseLock lock = locks.lease(NAMESPACE, "slow", Duration.ofSeconds(1));
    lock.create(held("someone"));
    network.latency(CLIENT, Duration.ofSeconds(3));

    CompletableFuture<Optional<LeaderRecord>> read = lock.getAsync();

    assertThat(read).as("the caller's thread is not held").isNotDone();
    assertThatThrownBy(read::join).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(KubernetesApiException.class)
        .hasMessage("The Kubernetes API did not answer get leases.coordination.k8s.io async-calls/slow "
            + "within 1000ms")
        .extracting(failure -> ((KubernetesApiException) failure).reason()).isEqualTo("Timeout");
    awaitNoRequestRunning(Duration.ofSeconds(30));
  }

  @Test
  void cancellingACallShouldStopItsRequestBeforeItsTimeout() throws Exception {
    LeaseLock lock = locks.lease(NAMESPACE, "cancelled", LONG_TIMEOUT);
    LeaderRecord created = lock.create(held("someone"));
    network.latency(CLIENT, LONG_TIMEOUT.multipliedBy(2));

    CompletableFuture<LeaderRecord> renew = lock.updateAsync(created);
    Awaitility.await().atMost(10, TimeUnit.SECONDS)
        .until(() -> runningRequests() == 1);
    assertThat(renew.cancel(true)).isTrue();

    awaitNoRequestRunning(LONG_TIMEOUT.dividedBy(2));
    assertThat(renew).isCancelled();
  }

  @Test
  void closingAnElectorShouldStopTheReadItHasInFlight() throws Exception {
    LeaseLock admin = KubernetesLocks.create(Config.fromConfig(store.serverFor(store.port())))
        .lease(NAMESPACE, "followed", Duration.ofSeconds(5));
    admin.create(held("someone-else"));
    LeaseLock lock = locks.lease(NAMESPACE, "followed", LONG_TIMEOUT);
    network.latency(CLIENT, LONG_TIMEOUT.multipliedBy(2));
    LeaderElector elector = LeaderElector.builder(lock, "follower")
        .timings(LeaseTimings.of(Duration.ofSeconds(90), Duration.ofSeconds(70),
            Duration.ofSeconds(10)))
        .build();
    elector.start();
    Awaitility.await().atMost(10, TimeUnit.SECONDS)
        .until(() -> runningRequests() == 1);

    elector.close();

    awaitNoRequestRunning(LONG_TIMEOUT.dividedBy(2));
    network.heal(CLIENT);
    assertThat(admin.get()).get().extracting(LeaderRecord::holderIdentity)
        .isEqualTo("someone-else");
  }

  /** Requests started and not yet ended or failed, other than watches (which stay open). */
  private static long runningRequests() {
    return running.stream()
        .filter(call -> call.request().url().queryParameter("watch") == null).count();
  }

  private static void awaitNoRequestRunning(Duration atMost) {
    Awaitility.await().atMost(atMost).until(() -> runningRequests() == 0);
  }

  private static LeaderRecord held(String holder) {
    Instant now = Instant.now();
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(Duration.ofSeconds(60))
        .acquireTime(now).renewTime(now).build();
  }
}
