package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.etcd.testing.EtcdServer;
import dev.leaderelection.etcd.testing.TestCertificates;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The lock contract over TLS with client certificates (etcd's {@code --client-cert-auth}),
 * with certificates made by the test, and what happens when the TLS settings are wrong. etcd's
 * certificate names only {@code etcd.test}, so reaching it at 127.0.0.1 needs the authority.
 */
class EtcdTlsIT extends EtcdLockContract {

  private Path dir;
  private TestCertificates certificates;
  private Path clientCertificate;

  @Override
  Client start(EtcdLauncher launcher) {
    try {
      dir = Files.createTempDirectory("etcd-tls");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    certificates = TestCertificates.createIn(dir);
    Path serving = certificates.server("server", List.of("etcd.test"));
    clientCertificate = certificates.client("client", "root");
    server = launcher.start(new EtcdServer.Tls(serving, TestCertificates.keyOf(serving),
        certificates.caFile()));
    return EtcdClients.create(List.of(EtcdClients.endpoint(server.endpoint())), tls(), null,
        null, Duration.ofSeconds(5));
  }

  @Override
  EtcdLeaseLockBuilder connected(String name) {
    return EtcdLeaseLock.builder(name).endpoints(server.endpoint()).tls(tls());
  }

  @AfterAll
  void deleteCertificates() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }

  @Test
  void endpointShouldBeHttps() {
    assertThat(server.endpoint()).startsWith("https://127.0.0.1:");
  }

  @Test
  void lockWithoutAClientCertificateShouldFailNamingTheEndpoint() {
    EtcdLeaseLock lock = remember(EtcdLeaseLock.builder("no-cert").endpoints(server.endpoint())
        .tls(EtcdTls.trusting(certificates.caFile()).withAuthority("etcd.test"))
        .requestTimeout(Duration.ofSeconds(3)).build());

    EtcdLockException failure = catchThrowableOfType(EtcdLockException.class, lock::get);

    assertThat(failure.endpoints()).isEqualTo(server.endpoint());
    assertThat(failure.code()).isEqualTo("UNAVAILABLE");
    assertThat(failure.reason()).isEqualTo("TLS handshake failed");
    assertThat(failure).hasMessageStartingWith("Could not reach etcd at " + server.endpoint())
        .hasMessageContaining("SSLHandshakeException");
    System.out.println("without a client certificate: " + failure.getMessage());
  }

  @Test
  void certificateThatDoesNotNameTheEndpointShouldFailWithoutTheAuthority() {
    EtcdLeaseLock lock = remember(EtcdLeaseLock.builder("no-authority")
        .endpoints(server.endpoint())
        .tls(EtcdTls.trusting(certificates.caFile())
            .withClientCertificate(clientCertificate, TestCertificates.keyOf(clientCertificate)))
        .requestTimeout(Duration.ofSeconds(3)).build());

    EtcdLockException failure = catchThrowableOfType(EtcdLockException.class, lock::get);

    assertThat(failure.endpoints()).isEqualTo(server.endpoint());
    assertThat(failure.reason()).isEqualTo("TLS handshake failed");
    assertThat(failure).hasMessageStartingWith("Could not reach etcd at " + server.endpoint())
        .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1")
        .hasMessageNotContaining("\n");
    System.out.println("without the authority: " + failure.getMessage());
  }

  private EtcdTls tls() {
    return EtcdTls.trusting(certificates.caFile())
        .withClientCertificate(clientCertificate, TestCertificates.keyOf(clientCertificate))
        .withAuthority("etcd.test");
  }
}
