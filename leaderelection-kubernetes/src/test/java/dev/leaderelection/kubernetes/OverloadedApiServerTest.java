package dev.leaderelection.kubernetes;

import static dev.leaderelection.kubernetes.FakeLeaseServer.LEASE_PATH;
import static dev.leaderelection.kubernetes.FakeLeaseServer.NAME;
import static dev.leaderelection.kubernetes.FakeLeaseServer.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An API server that sheds load, answering {@code 429 Too Many Requests} with a
 * {@code Retry-After} as kube-apiserver does when too many requests are in flight: a real HTTP
 * server stands in for it, counts the requests it refused, and notes any request that came
 * before an earlier answer's {@code Retry-After} had passed (none may). A wait that fits in the
 * call's timeout is waited and the call sent again; one that does not fails the call at once, and
 * the lock's next calls fail unsent until it has passed, so a leader steps down on time after one
 * request rather than a storm of them. Nothing here asserts a duration: the waits are the
 * server's, and only their order is checked.
 */
class OverloadedApiServerTest {

  private static final long WAIT_SECONDS = 30;
  private static final int ALWAYS = Integer.MAX_VALUE;

  private FakeLeaseServer server;
  private KubernetesLocks locks;

  @BeforeEach
  void start() throws Exception {
    server = new FakeLeaseServer("pod-a", 5);
    locks = KubernetesLocks.create(new ApiClient().setBasePath(server.basePath()));
  }

  @AfterEach
  void stop() {
    locks.close();
    server.close();
  }

  @Test
  void retryAfterThatFitsInTheTimeoutShouldBeWaitedAndTheCallSentAgain() throws Exception {
    LeaseLock lock = locks.lease(NAMESPACE, NAME, Duration.ofSeconds(10));
    LeaderRecord read = answer(lock.getAsync()).orElseThrow();
    server.forgetRequests();
    server.shedLoad(1, 1);

    LeaderRecord renewed = answer(lock.updateAsync(renewal(read)));

    assertThat(renewed.version()).isEqualTo("6");
    assertThat(server.requests()).containsExactly("PUT " + LEASE_PATH, "PUT " + LEASE_PATH);
    assertThat(server.refusedRequests()).containsExactly("PUT " + LEASE_PATH);
    assertThat(server.earlyRequests()).isEmpty();
  }

  @Test
  void blockingCallShouldWaitEachRetryAfterThatFits() {
    LeaseLock lock = locks.lease(NAMESPACE, NAME, Duration.ofSeconds(10));
    LeaderRecord read = lock.get().orElseThrow();
    server.forgetRequests();
    server.shedLoad(2, 1);

    LeaderRecord renewed = lock.update(renewal(read));

    assertThat(renewed.version()).isEqualTo("6");
    assertThat(server.requests()).hasSize(3).containsOnly("PUT " + LEASE_PATH);
    assertThat(server.earlyRequests()).isEmpty();
  }

  @Test
  void retryAfterBeyondTheTimeoutShouldFailTheCallAtOnceAndTheNextCallsUnsent()
      throws Exception {
    LeaseLock lock = locks.lease(NAMESPACE, NAME, Duration.ofSeconds(2));
    LeaderRecord read = answer(lock.getAsync()).orElseThrow();
    server.forgetRequests();
    server.shedLoad(ALWAYS, 30);

    assertThatThrownBy(() -> answer(lock.updateAsync(renewal(read))))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(KubernetesApiException.class)
        .hasMessage("The Kubernetes API refused to update leases.coordination.k8s.io "
            + "payments/report-job (HTTP 429 TooManyRequests): Too many requests, please try "
            + "again later. It asked to retry after 30 s (Retry-After), later than the call's "
            + "2000ms timeout allows, so the call fails now")
        .extracting(failure -> ((KubernetesApiException) failure).statusCode()).isEqualTo(429);
    assertThatThrownBy(() -> answer(lock.getAsync()))
        .cause().isInstanceOf(KubernetesApiException.class)
        .hasMessage("The Kubernetes API sheds load: it answered HTTP 429 and asked to wait "
            + "(Retry-After) before the next request about leases.coordination.k8s.io "
            + "payments/report-job, longer than the call's 2000ms timeout allows, so get was not "
            + "sent")
        .extracting(failure -> ((KubernetesApiException) failure).reason())
        .isEqualTo("TooManyRequests");
    assertThatThrownBy(lock::get).isInstanceOf(KubernetesApiException.class)
        .hasMessageEndingWith("so get was not sent");

    assertThat(server.requests()).containsExactly("PUT " + LEASE_PATH);
  }

  @Test
  void refusalWithoutRetryAfterShouldFailTheCallWithoutRetrying() {
    LeaseLock lock = locks.lease(NAMESPACE, NAME, Duration.ofSeconds(10));
    server.shedLoad(1, -1);

    assertThatThrownBy(lock::get).isInstanceOf(KubernetesApiException.class)
        .hasMessage("The Kubernetes API refused to get leases.coordination.k8s.io "
            + "payments/report-job (HTTP 429 TooManyRequests): Too many requests, please try "
            + "again later.");
    assertThat(lock.get()).isPresent();
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void leaderShouldKeepItsTermWhenEachRenewalIsRefusedOnceWithARetryAfterThatFits() {
    try (LeaderElector elector = LeaderElector.builder(
            locks.lease(NAMESPACE, NAME, Duration.ofSeconds(4)), "pod-a")
        .timings(LeaseTimings.of(Duration.ofSeconds(10), Duration.ofSeconds(8),
            Duration.ofSeconds(1)))
        .build()) {
      elector.start();
      long token = awaitTerm(elector).fencingToken();
      server.shedLoad(3, 1);
      Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS)
          .until(() -> server.refusedRequests().size() == 3);
      long renewalsBefore = puts();
      Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS)
          .until(() -> puts() >= renewalsBefore + 2);

      assertThat(elector.currentTerm()).get().extracting(LeaderContext::fencingToken)
          .isEqualTo(token);
      assertThat(server.earlyRequests()).isEmpty();
    }
  }

  @Test
  void leaderShouldStepDownAfterOneRefusedRequestWhenTheRetryAfterOutlastsItsDeadline() {
    try (LeaderElector elector = LeaderElector.builder(
            locks.lease(NAMESPACE, NAME, Duration.ofMillis(1500)), "pod-a")
        .timings(LeaseTimings.of(Duration.ofSeconds(4), Duration.ofSeconds(3),
            Duration.ofSeconds(1)))
        .build()) {
      elector.start();
      awaitTerm(elector);
      server.shedLoad(ALWAYS, 30);

      Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS)
          .until(() -> elector.currentTerm().isEmpty());
      Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS)
          .until(() -> elector.lastFailure().isPresent()
              && elector.lastFailure().get().getMessage().endsWith("was not sent"));

      System.out.printf("requests refused while the server shed load until the leader stepped "
          + "down and failed again as a candidate: %s%n", server.refusedRequests());
      assertThat(server.refusedRequests()).hasSize(1);
      assertThat(server.earlyRequests()).isEmpty();
    }
  }

  private long puts() {
    return server.requests().stream().filter(request -> request.startsWith("PUT")).count();
  }

  private static LeaderContext awaitTerm(LeaderElector elector) {
    Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS)
        .until(() -> elector.currentTerm().isPresent());
    return elector.currentTerm().orElseThrow();
  }

  private static LeaderRecord renewal(LeaderRecord read) {
    return read.toBuilder().renewTime(Instant.now()).build();
  }

  private static <T> T answer(CompletableFuture<T> call) throws Exception {
    return call.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
