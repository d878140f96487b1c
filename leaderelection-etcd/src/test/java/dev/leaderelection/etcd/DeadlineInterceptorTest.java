package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlineInterceptorTest {

  private final DeadlineInterceptor interceptor = new DeadlineInterceptor(Duration.ofSeconds(2));
  private final RecordingChannel channel = new RecordingChannel();

  @Test
  void unaryCallsShouldGetTheRequestTimeoutAsDeadline() {
    interceptor.interceptCall(method(MethodDescriptor.MethodType.UNARY), CallOptions.DEFAULT,
        channel);

    Deadline deadline = channel.options.get(0).getDeadline();
    assertThat(deadline).isNotNull();
    assertThat(deadline.timeRemaining(TimeUnit.MILLISECONDS)).isBetween(1L, 2000L);
  }

  @Test
  void streamsAndCallsWithADeadlineShouldBeLeftAlone() {
    Deadline own = Deadline.after(1, TimeUnit.MINUTES);

    interceptor.interceptCall(method(MethodDescriptor.MethodType.BIDI_STREAMING),
        CallOptions.DEFAULT, channel);
    interceptor.interceptCall(method(MethodDescriptor.MethodType.UNARY),
        CallOptions.DEFAULT.withDeadline(own), channel);

    assertThat(channel.options.get(0).getDeadline()).isNull();
    assertThat(channel.options.get(1).getDeadline()).isSameAs(own);
  }

  private static MethodDescriptor<String, String> method(MethodDescriptor.MethodType type) {
    MethodDescriptor.Marshaller<String> marshaller = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(String value) {
        return new ByteArrayInputStream(value.getBytes());
      }

      @Override
      public String parse(InputStream stream) {
        return "";
      }
    };
    return MethodDescriptor.<String, String>newBuilder().setType(type)
        .setFullMethodName("etcdserverpb.KV/Range").setRequestMarshaller(marshaller)
        .setResponseMarshaller(marshaller).build();
  }

  /** Notes the options of each call and makes none. */
  private static final class RecordingChannel extends Channel {

    final List<CallOptions> options = new ArrayList<>();

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions callOptions) {
      options.add(callOptions);
      return null;
    }

    @Override
    public String authority() {
      return "etcd";
    }
  }
}
