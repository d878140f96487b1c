package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EtcdCallsTest {

  private static final String ENDPOINTS = "https://etcd-0:2379,https://etcd-1:2379";

  private final EtcdCalls calls = new EtcdCalls("/leaderelection/x", ENDPOINTS,
      Duration.ofSeconds(5));

  @Test
  void answerShouldBeReturned() {
    assertThat(calls.call("get", () -> CompletableFuture.completedFuture("value")))
        .isEqualTo("value");
  }

  @Test
  void callWithoutAnAnswerWithinTheTimeoutShouldBeCancelledAndNameTheEndpoints() {
    EtcdCalls quick = new EtcdCalls("/leaderelection/x", ENDPOINTS, Duration.ofNanos(1));
    CompletableFuture<String> never = new CompletableFuture<>();

    EtcdLockException failure = catchThrowableOfType(EtcdLockException.class,
        () -> quick.call("update", () -> never));

    assertThat(never).isCancelled();
    assertThat(failure.code()).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(failure.operation()).isEqualTo("update");
    assertThat(failure).hasMessage("etcd at " + ENDPOINTS + " did not answer update of key "
        + "/leaderelection/x within 0ms");
  }

  @Test
  void permissionDeniedShouldSayWhatToGrant() {
    EtcdLockException failure = catchThrowableOfType(EtcdLockException.class,
        () -> calls.call("create", () -> CompletableFuture.failedFuture(
            EtcdExceptionFactory.newEtcdException(ErrorCode.PERMISSION_DENIED,
                "etcdserver: permission denied"))));

    assertThat(failure.isPermissionDenied()).isTrue();
    assertThat(failure.reason()).isEqualTo("permission denied on the key");
    assertThat(failure.details()).containsEntry("code", "PERMISSION_DENIED")
        .containsEntry("reason", "permission denied on the key")
        .containsEntry("endpoints", ENDPOINTS).containsEntry("key", "/leaderelection/x");
    assertThat(failure.endpoints()).isEqualTo(ENDPOINTS);
    assertThat(failure.key()).isEqualTo("/leaderelection/x");
    assertThat(failure).hasMessage("etcd at " + ENDPOINTS + " refused to create key "
        + "/leaderelection/x (PERMISSION_DENIED: etcdserver: permission denied): grant this "
        + "user's role readwrite permission on the key and the keys under it (etcdctl role "
        + "grant-permission --prefix=true <role> readwrite /leaderelection/x)");
  }

  @Test
  void wrongPasswordShouldBeExplainedWithoutCredentials() {
    EtcdLockException failure = catchThrowableOfType(EtcdLockException.class,
        () -> calls.call("get", () -> CompletableFuture.failedFuture(
            Status.INVALID_ARGUMENT.withDescription("etcdserver: authentication failed, invalid "
                + "user ID or password").asRuntimeException())));

    assertThat(failure.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(failure.reason()).isEqualTo("authentication failed");
    assertThat(failure).hasMessageEndingWith(": the user name or password was not accepted");
  }

  @Test
  void unreachableEtcdShouldBeSaidSo() {
    EtcdLockException failure = catchThrowableOfType(EtcdLockException.class,
        () -> calls.call("get", () -> {
          throw Status.UNAVAILABLE.withDescription("io exception").asRuntimeException();
        }));

    assertThat(failure.code()).isEqualTo("UNAVAILABLE");
    assertThat(failure.reason()).isEqualTo("unreachable");
    assertThat(failure).hasMessage("Could not reach etcd at " + ENDPOINTS + " to get key "
        + "/leaderelection/x (UNAVAILABLE: io exception)");
  }

  @Test
  void deadlineExceededInGrpcShouldReadAsNoAnswerInTime() {
    EtcdLockException failure = calls.failure("update", Status.DEADLINE_EXCEEDED
        .withDescription("deadline exceeded after 4.9s").asRuntimeException());

    assertThat(failure.code()).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(failure.reason()).isEqualTo("no answer in time");
    assertThat(failure).hasMessage("etcd at " + ENDPOINTS + " did not answer update of key "
        + "/leaderelection/x within 5000ms (DEADLINE_EXCEEDED: deadline exceeded after 4.9s)");
  }

  @Test
  void compactionShouldSayTheRecordIsReadAgain() {
    EtcdLockException failure = calls.failure("watch",
        EtcdExceptionFactory.newCompactedException(41));

    assertThat(failure.code()).isEqualTo("OUT_OF_RANGE");
    assertThat(failure.reason()).isEqualTo("history compacted");
    assertThat(failure).hasMessageContaining("compacted its history past revision 41")
        .hasMessageEndingWith("the record is read again");
  }

  @Test
  void failedTlsHandshakeShouldBeToldApartFromAnUnreachableEtcd() {
    EtcdLockException failure = calls.failure("get", Status.UNAVAILABLE
        .withDescription("io exception").withCause(new javax.net.ssl.SSLHandshakeException(
            "PKIX path building failed")).asRuntimeException());

    assertThat(failure.reason()).isEqualTo("TLS handshake failed");
  }
}
