package dev.leaderelection.etcd;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every unary call of a client the lock owns a gRPC deadline of the request timeout, so
 * that a call the lock stopped waiting for is abandoned by gRPC and etcd too, instead of waiting
 * for a connection and reaching etcd later (a renew stored after its leader stepped down).
 * Streams (watches) have no deadline. Thread-safe.
 */
final class DeadlineInterceptor implements ClientInterceptor {

  private final Duration timeout;

  DeadlineInterceptor(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
      CallOptions options, Channel next) {
    boolean bounded = method.getType() == MethodDescriptor.MethodType.UNARY
        && options.getDeadline() == null;
    return next.newCall(method,
        bounded ? options.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS) : options);
  }
}
