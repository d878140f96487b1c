package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.leaderelection.etcd.testing.TestCertificates;
import dev.leaderelection.spi.LockReference;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EtcdLeaseLockBuilderTest {

  private static final String PASSWORD = "s3cr3t-Pa55";

  @Test
  void defaultKeyShouldBeTheElectionNameUnderLeaderelection() {
    try (EtcdLeaseLock lock = EtcdLeaseLock.builder("report-job")
        .endpoints("http://127.0.0.1:2379").build()) {
      assertThat(lock.key()).isEqualTo("/leaderelection/report-job");
      assertThat(lock.reference())
          .isEqualTo(new LockReference("etcd", null, "/leaderelection/report-job"));
      assertThat(lock.describe())
          .isEqualTo("etcd key /leaderelection/report-job at http://127.0.0.1:2379");
    }
  }

  @Test
  void passwordShouldNeverBeShown() {
    EtcdLeaseLockBuilder builder = EtcdLeaseLock.builder("x")
        .endpoints("http://127.0.0.1:2379", "http://127.0.0.2:2379")
        .credentials("elector", PASSWORD);

    assertThat(builder.toString()).contains("user=elector", "password=(hidden)")
        .doesNotContain(PASSWORD);
    try (EtcdLeaseLock lock = builder.build()) {
      assertThat(lock.toString()).doesNotContain(PASSWORD);
      assertThat(lock.describe()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void invalidSettingsShouldBeRefusedNamingTheSettingAndTheRule() {
    assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder(" "))
        .withMessageContaining("name must be non-blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EtcdLeaseLock.builder("x").endpoints("etcd-0:2379"))
        .withMessage("etcd endpoint 'etcd-0:2379' must be http://host:port or https://host:port");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EtcdLeaseLock.builder("x").endpoints(List.of()))
        .withMessage("endpoints must name at least one etcd endpoint");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EtcdLeaseLock.builder("x").requestTimeout(Duration.ZERO))
        .withMessage("requestTimeout is PT0S but must be greater than zero");
    assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x").build())
        .withMessage("endpoints (or a client) are required for the etcd lock 'x'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EtcdTls.trusting(Path.of("ca.pem")).withAuthority(" "))
        .withMessage("authority must not be blank");
  }

  @Test
  void tlsSettingsThatDoNotFitTheEndpointsShouldBeRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
            .endpoints("http://127.0.0.1:2379").tls(EtcdTls.trusting(Path.of("ca.pem"))).build())
        .withMessage("TLS is configured, but the etcd endpoints are http://: "
            + "http://127.0.0.1:2379");
    assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
            .endpoints("http://127.0.0.1:2379", "https://127.0.0.1:2380").build())
        .withMessageStartingWith("etcd endpoints mix http:// and https://");
    assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
            .endpoints("https://127.0.0.1:2379")
            .tls(EtcdTls.trusting(Path.of("target", "no-such-ca.pem"))).build())
        .withMessage("The etcd TLS CA file " + Path.of("target", "no-such-ca.pem")
            + " does not exist or cannot be read");
  }

  @Test
  void pemFilesAsOperatorsHoldThemShouldBeLoadedAndAnUnusableKeyNamed() throws Exception {
    Path dir = Files.createTempDirectory("etcd-tls-files");
    TestCertificates certificates = TestCertificates.createIn(dir);
    Path client = certificates.client("client", "elector");
    Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + "bm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    try {
      EtcdTls tls = EtcdTls.trusting(certificates.caFile())
          .withClientCertificate(client, TestCertificates.keyOf(client));
      try (EtcdLeaseLock lock = EtcdLeaseLock.builder("x").endpoints("https://127.0.0.1:2379")
          .tls(tls).build()) {
        assertThat(lock.describe()).isEqualTo("etcd key /leaderelection/x at "
            + "https://127.0.0.1:2379");
      }
      assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
              .endpoints("https://127.0.0.1:2379")
              .tls(EtcdTls.trusting(certificates.caFile()).withClientCertificate(client, notAKey))
              .build())
          .withMessageStartingWith("The etcd TLS files could not be used")
          .withMessageEndingWith("they must be PEM, the key PKCS#8 (BEGIN PRIVATE KEY)");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }

  @Test
  void givenClientShouldExcludeConnectionSettingsAndNeverBeClosed() {
    List<String> calls = new CopyOnWriteArrayList<>();
    Client client = (Client) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Client.class}, (proxy, method, args) -> {
          calls.add(method.getName());
          return null;
        });

    assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
            .client(client).endpoints("http://127.0.0.1:2379").build())
        .withMessageContaining("client(...) excludes endpoints, tls and credentials");
    EtcdLeaseLock lock = EtcdLeaseLock.builder("x").client(client).build();
    lock.close();

    assertThat(lock.describe()).isEqualTo("etcd key /leaderelection/x at etcd (the "
        + "application's client)");
    assertThat(calls).doesNotContain("close");
  }

  @Test
  void applicationsBuilderShouldExcludeConnectionSettingsAndAGivenClient() {
    ClientBuilder application = Client.builder().endpoints("http://127.0.0.1:2379");

    assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
            .clientFrom(application).credentials("elector", "secret").build())
        .withMessageContaining("clientFrom(...) excludes endpoints, tls and credentials");
    try (Client client = application.build()) {
      assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
              .clientFrom(application).client(client).build())
          .withMessageContaining("client(...) and clientFrom(...) exclude each other");
    }
    assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
            .clientFrom(Client.builder()).build())
        .withMessageContaining("names no etcd endpoints");
    try (EtcdLeaseLock lock = EtcdLeaseLock.builder("x").clientFrom(application).build()) {
      assertThat(lock.describe()).isEqualTo("etcd key /leaderelection/x at "
          + application.target());
    }
  }
}
