package dev.leaderelection.etcd;

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
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** Parses one endpoint: {@code http://} or {@code https://}, a host and a port. */
  static URI endpoint(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint == null ? "" : endpoint.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("etcd endpoint '" + endpoint + "' is not a URI: "
          + e.getMessage(), e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null || uri.getPort() < 0 || uri.getUserInfo() != null) {
      throw new IllegalArgumentException("etcd endpoint '" + endpoint + "' must be "
          + "http://host:port or https://host:port");
    }
    return uri;
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
        .retryMaxDelay(Math.max(RETRY_DELAY.toMillis(), requestTimeout.toMillis() / 4))
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
    try {
      SslContextBuilder ssl = GrpcSslContexts.forClient();
      if (tls != null && tls.trustManagers() != null) {
        ssl.trustManager(tls.trustManagers());
        if (tls.keyManagers() != null) {
          ssl.keyManager(tls.keyManagers());
        }
      } else if (tls != null && tls.caFile() != null) {
        ssl.trustManager(readable(tls.caFile(), "CA").toFile());
        Path cert = tls.certFile();
        Path key = tls.keyFile();
        if (cert != null && key != null) {
          ssl.keyManager(readable(cert, "client certificate").toFile(),
              readable(key, "client key").toFile());
        }
      }
      return ssl.build();
    } catch (UnreadableFile e) {
      throw e;
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException("The etcd TLS files could not be used (" + e.getMessage()
          + "); they must be PEM, the key PKCS#8 (BEGIN PRIVATE KEY)", e);
    }
  }

  private static Path readable(Path file, String what) {
    if (!Files.isReadable(file)) {
      throw new UnreadableFile("The etcd TLS " + what + " file " + file
          + " does not exist or cannot be read");
    }
    return file;
  }

  /** A TLS file that is missing or not readable. */
  private static final class UnreadableFile extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnreadableFile(String message) {
      super(message);
    }
  }

  private static byte[] utf8(char[] password) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
    Arrays.fill(encoded.array(), (byte) 0);
    return bytes;
  }
}
