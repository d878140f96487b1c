package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.leaderelection.spi.LeaderRecord;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Every call the etcd lock makes carries a gRPC deadline, on a client the application
 * configured: the test's own interceptor, on a builder without the lock's, records each call's
 * options. Nothing listens at the endpoint, so each call fails at once, after it was made.
 */
class EtcdCallDeadlinesTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final LeaderRecord RECORD =
      LeaderRecord.builder().holderIdentity("pod-a").leaseDuration(Duration.ofSeconds(15))
          .leaseTransitions(1).build();

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final ClientInterceptor recorder = new ClientInterceptor() {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
        CallOptions options, Channel next) {
      calls.add(new Call(method.getFullMethodName(), method.getType(), options.getDeadline()));
      return next.newCall(method, options);
    }
  };

  /** One call as the application's interceptor saw it. */
  private record Call(String method, MethodDescriptor.MethodType type,
      @Nullable Deadline deadline) {
  }

  @Test
  void everyCallOnAClientFromTheApplicationsBuilderShouldCarryTheRequestTimeout()
      throws IOException {
    ClientBuilder application = Client.builder().endpoints("http://127.0.0.1:" + closedPort())
        .waitForReady(false).retryMaxAttempts(0).interceptor(recorder);

    try (EtcdLeaseLock lock = EtcdLeaseLock.builder("report-job").clientFrom(application)
        .requestTimeout(TIMEOUT).build()) {
      assertThat(catchThrowable(lock::get)).isInstanceOf(EtcdLockException.class);
      assertThat(catchThrowable(() -> lock.create(RECORD))).isInstanceOf(EtcdLockException.class);
      assertThat(catchThrowable(() -> lock.update(RECORD.withVersion("5"))))
          .isInstanceOf(EtcdLockException.class);
      assertThat(catchThrowable(() -> lock.termRevision(1)))
          .isInstanceOf(EtcdLockException.class);
    }

    assertThat(calls).extracting(Call::method)
        .as("get, create, update: transactions (a read takes the path of the write that makes a "
            + "follower leader); the term's revision: a range")
        .containsExactly("etcdserverpb.KV/Txn", "etcdserverpb.KV/Txn", "etcdserverpb.KV/Txn",
            "etcdserverpb.KV/Range");
    assertThat(calls).allSatisfy(call -> {
      assertThat(call.type()).isEqualTo(MethodDescriptor.MethodType.UNARY);
      assertThat(call.deadline()).as("deadline of %s", call.method()).isNotNull();
      assertThat(call.deadline().timeRemaining(TimeUnit.NANOSECONDS))
          .isLessThanOrEqualTo(TIMEOUT.toNanos());
    });
    assertThat(application.interceptors()).containsExactly(recorder);
  }

  @Test
  void locksSharingABuiltClientShouldEachCarryTheRequestTimeoutAndLeaveItOpen()
      throws IOException {
    ClientBuilder application = Client.builder().endpoints("http://127.0.0.1:" + closedPort())
        .waitForReady(false).retryMaxAttempts(0).interceptor(recorder);
    Client shared = EtcdLeaseLock.builder("tenants").clientFrom(application)
        .requestTimeout(TIMEOUT).buildClient();

    try (shared) {
      for (String shard : List.of("tenants-0", "tenants-1")) {
        try (EtcdLeaseLock lock = EtcdLeaseLock.builder(shard).client(shared)
            .requestTimeout(TIMEOUT).build()) {
          assertThat(catchThrowable(lock::get)).isInstanceOf(EtcdLockException.class);
        }
      }
      // still open after its locks closed: this call is made too (and fails to connect)
      catchThrowable(() -> shared.getKVClient().get(
          ByteSequence.from("key", StandardCharsets.UTF_8)).get());
    }

    assertThat(calls).extracting(Call::method).containsExactly("etcdserverpb.KV/Txn",
        "etcdserverpb.KV/Txn", "etcdserverpb.KV/Range");
    assertThat(calls).allSatisfy(call -> assertThat(call.deadline()).isNotNull());
  }

  @Test
  void buildingAClientBesideTheApplicationsClientShouldBeRefused() {
    Client application = Client.builder().endpoints("http://127.0.0.1:2379").build();
    try (application) {
      assertThat(catchThrowable(() -> EtcdLeaseLock.builder("tenants").client(application)
          .buildClient())).isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessage("client(...) was given: share that client instead of building one");
    }
  }

  /** A port nothing listens on: connections to it are refused at once. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
