package dev.leaderelection.etcd;

import dev.leaderelection.internal.Endpoints;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.ClientInterceptor;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/** Makes the jetcd clients that locks own, from endpoints, TLS files and credentials. */
final class EtcdClients {

  private static final Duration RETRY_DELAY = Duration.ofMillis(50);

  private EtcdClients() {
  }

  /**
   * Parses one endpoint: {@code http://} or {@code https://}, a host and a port, nothing more.
   * User info is refused and never shown: credentials belong to {@code credentials(...)}.
   */
  static URI endpoint(String endpoint) {
    String shown = Endpoints.withoutUserInfo(endpoint == null ? "" : endpoint.strip());
    URI uri;
    try {
      uri = new URI(endpoint == null ? "" : endpoint.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("etcd endpoint '" + shown + "' is not a URI: "
          + e.getReason());
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("etcd endpoint '" + shown + "' must not carry a user or "
          + "password; give them to credentials(user, password)");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("etcd endpoint '" + shown + "' must be "
          + "http://host:port or https://host:port");
    }
    boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()
        || uri.getRawPath().equals("/")) && uri.getRawQuery() == null
        && uri.getRawFragment() == null;
    if (!bare) {
      throw new IllegalArgumentException("etcd endpoint '" + shown + "' must be "
          + "http://host:port or https://host:port, without a path, query or fragment");
    }
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
  }

  static String describe(List<URI> endpoints) {
    return endpoints.stream().map(URI::toString).collect(Collectors.joining(","));
  }

  static Client create(List<URI> endpoints, @Nullable EtcdTls tls, @Nullable String user,
      char @Nullable [] password, Duration requestTimeout) {
    boolean https = endpoints.stream().anyMatch(uri -> uri.getScheme().equals("https"));
    if (https != endpoints.stream().allMatch(uri -> uri.getScheme().equals("https"))) {
      throw new IllegalArgumentException("etcd endpoints mix http:// and https://: "
          + describe(endpoints));
    }
    if (tls != null && !https) {
      throw new IllegalArgumentException("TLS is configured, but the etcd endpoints are "
          + "http://: " + describe(endpoints));
    }
    ClientBuilder builder = Client.builder().endpoints(endpoints.toArray(URI[]::new))
        .connectTimeout(requestTimeout)
        // The election retries every retry period itself: jetcd retries briefly (enough to
        // refresh an expired auth token), so the real failure, not our timeout, is reported.
        .retryMaxAttempts(2)
        .retryDelay(RETRY_DELAY.toMillis())
        // Failsafe wants the delay strictly below its maximum, whatever the request timeout.
        .retryMaxDelay(Math.max(RETRY_DELAY.toMillis() + 1, requestTimeout.toMillis() / 4))
        .retryChronoUnit(ChronoUnit.MILLIS)
        .retryMaxDuration(requestTimeout.dividedBy(2))
        .interceptor(new DeadlineInterceptor(requestTimeout))
        // Fail at once while etcd cannot be reached, with the reason (refused, TLS, ...), rather
        // than wait for a connection until the deadline.
        .waitForReady(false);
    if (https) {
      builder.sslContext(sslContext(tls));
    }
    if (tls != null && tls.authority() != null) {
      builder.authority(tls.authority());
    }
    if (user != null && password != null) {
      builder.user(ByteSequence.from(user, StandardCharsets.UTF_8))
          .password(ByteSequence.from(utf8(password)));
    }
    return builder.build();
  }

  /**
   * A client made from a copy of the application's {@code builder} (which is not changed), whose
   * unary calls each carry a gRPC deadline of {@code requestTimeout}: jetcd has no per-call
   * deadline, and a client cannot be derived from another, so this is the one way to bound the
   * calls of a client the application configured.
   *
   * @throws IllegalArgumentException when the builder names no endpoints
   */
  static Client fromApplicationBuilder(ClientBuilder builder, Duration requestTimeout) {
    if (builder.target() == null) {
      throw new IllegalArgumentException("the jetcd ClientBuilder given to clientFrom(...) names "
          + "no etcd endpoints");
    }
    List<ClientInterceptor> interceptors = new ArrayList<>(
        Objects.requireNonNullElse(builder.interceptors(), List.of()));
    // The last interceptor is called first, so the application's own ones see the deadline.
    interceptors.add(new DeadlineInterceptor(requestTimeout));
    return builder.copy().interceptors(interceptors).build();
  }

  private static io.netty.handler.ssl.SslContext sslContext(@Nullable EtcdTls tls) {
    SslContextBuilder ssl = GrpcSslContexts.forClient();
    if (tls != null && tls.trustManagers() != null) {
      ssl.trustManager(tls.trustManagers());
      if (tls.keyManagers() != null) {
        ssl.keyManager(tls.keyManagers());
      }
    } else if (tls != null && tls.caFile() != null) {
      ssl.trustManager(PemFiles.certificates(tls.caFile(), "CA"));
      Path cert = tls.certFile();
      Path key = tls.keyFile();
      if (cert != null && key != null) {
        X509Certificate[] chain = PemFiles.certificates(cert, "client certificate");
        ssl.keyManager(PemFiles.clientKey(key, cert, chain[0]), chain);
      }
    }
    try {
      return ssl.build();
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException("The etcd TLS settings could not be used ("
          + e.getMessage() + ")", e);
    }
  }

  private static byte[] utf8(char[] password) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
    Arrays.fill(encoded.array(), (byte) 0);
    return bytes;
  }
}
