package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.etcd.testing.TestCertificates;
import dev.leaderelection.spi.LockReference;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdLeaseLockBuilderTest {

  private static final String PASSWORD = "s3cr3t-Pa55";

  @Test
  void locksOnABuiltClientShouldNameItsEndpointsAndNotCloseIt() {
    Client shared = EtcdLeaseLock.builder("tenants").endpoints("http://127.0.0.1:2379")
        .buildClient();
    try (shared) {
      try (EtcdLeaseLock lock = EtcdLeaseLock.builder("tenants-0").client(shared).build()) {
        assertThat(lock.describe())
            .isEqualTo("etcd key /leaderelection/tenants-0 at http://127.0.0.1:2379");
      }
      assertThat(shared.getKVClient()).as("open after its lock closed").isNotNull();
    }
  }

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
          .withMessageStartingWith("The etcd TLS client key file " + notAKey + " holds no "
              + "readable private key")
          .withMessageContaining("it must be PEM between -----BEGIN PRIVATE KEY----- and "
              + "-----END PRIVATE KEY----- (PKCS#8)");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }

  @Test
  void endpointWithCredentialsShouldBeRefusedWithoutShowingThem() {
    assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
            .endpoints("http://admin:" + PASSWORD + "@etcd-0:2379"))
        .withMessage("etcd endpoint 'http://******@etcd-0:2379' must not carry a user or "
            + "password; give them to credentials(user, password)")
        .satisfies(failure -> assertThat(stackTrace(failure)).doesNotContain(PASSWORD, "admin"));
    assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
            .endpoints("http://admin:" + PASSWORD + " @etcd-0:2379"))
        .as("not even when the endpoint is no URI at all")
        .withMessageStartingWith("etcd endpoint 'http://******@etcd-0:2379' is not a URI")
        .satisfies(failure -> assertThat(stackTrace(failure)).doesNotContain(PASSWORD, "admin"));
  }

  @Test
  void endpointWithAPathQueryOrFragmentShouldBeRefused() {
    for (String endpoint : List.of("http://etcd-0:2379/v3/kv", "http://etcd-0:2379?x=1",
        "http://etcd-0:2379#f", "https://etcd-0:2379/v3/kv?x=1#f")) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> EtcdLeaseLock.builder("x").endpoints(endpoint))
          .withMessage("etcd endpoint '" + endpoint + "' must be http://host:port or "
              + "https://host:port, without a path, query or fragment");
    }
    try (EtcdLeaseLock lock = EtcdLeaseLock.builder("x").endpoints("http://127.0.0.1:2379/")
        .build()) {
      assertThat(lock.describe()).as("a bare / is no path")
          .isEqualTo("etcd key /leaderelection/x at http://127.0.0.1:2379");
    }
  }

  @Test
  void clientKeyTheTlsClientCannotPresentShouldBeRefusedWhenTheLockIsBuilt(@TempDir Path dir) {
    TestCertificates certificates = TestCertificates.createIn(dir);
    Path client = certificates.client("client", "elector", "Ed25519");
    Path key = TestCertificates.keyOf(client);

    assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
            .endpoints("https://127.0.0.1:2379")
            .tls(EtcdTls.trusting(certificates.caFile()).withClientCertificate(client, key))
            .build())
        .withMessage("The etcd TLS client key file " + key + " holds an Ed25519 key, which the "
            + "TLS client cannot present; use an RSA or EC key and its certificate");
  }

  @Test
  void clientKeyOfAnotherCertificateShouldBeRefusedWhenTheLockIsBuilt(@TempDir Path dir) {
    TestCertificates certificates = TestCertificates.createIn(dir);
    Path client = certificates.client("client", "elector");
    Path other = certificates.client("other", "elector");
    Path rsa = certificates.client("rsa", "elector", "RSA");

    for (Path key : List.of(TestCertificates.keyOf(other), TestCertificates.keyOf(rsa))) {
      assertThatIllegalArgumentException().isThrownBy(() -> EtcdLeaseLock.builder("x")
              .endpoints("https://127.0.0.1:2379")
              .tls(EtcdTls.trusting(certificates.caFile()).withClientCertificate(client, key))
              .build())
          .withMessage("The etcd TLS client key file " + key + " is not the key of the client "
              + "certificate file " + client + "; give the key the certificate was issued for");
    }
    try (EtcdLeaseLock lock = EtcdLeaseLock.builder("x").endpoints("https://127.0.0.1:2379")
        .tls(EtcdTls.trusting(certificates.caFile())
            .withClientCertificate(rsa, TestCertificates.keyOf(rsa))).build()) {
      assertThat(lock.key()).as("an RSA key and its certificate").isEqualTo("/leaderelection/x");
    }
  }

  @Test
  void pemFileWithAGarbageBodyShouldBeOneClearIllegalArgument(@TempDir Path dir)
      throws Exception {
    TestCertificates certificates = TestCertificates.createIn(dir);
    Path client = certificates.client("client", "elector");
    Path key = TestCertificates.keyOf(client);
    Path garbageCertificate = Files.writeString(dir.resolve("garbage.pem"),
        "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZSBnYXJiYWdl\n-----END CERTIFICATE-----\n");
    Path garbageKey = Files.writeString(dir.resolve("garbage-key.pem"),
        "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> build(EtcdTls.trusting(garbageCertificate)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("The etcd TLS CA file " + garbageCertificate + " holds no "
            + "readable PEM certificate (")
        .hasMessageEndingWith("); it must hold PEM certificates, each between -----BEGIN "
            + "CERTIFICATE----- and -----END CERTIFICATE-----");
    assertThatThrownBy(() -> build(EtcdTls.trusting(certificates.caFile())
            .withClientCertificate(garbageCertificate, key)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("The etcd TLS client certificate file " + garbageCertificate
            + " holds no readable PEM certificate (");
    assertThatThrownBy(() -> build(EtcdTls.trusting(certificates.caFile())
            .withClientCertificate(client, garbageKey)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("The etcd TLS client key file " + garbageKey + " holds no "
            + "readable private key (")
        .hasMessageEndingWith("); it must be PEM between -----BEGIN PRIVATE KEY----- and "
            + "-----END PRIVATE KEY----- (PKCS#8); convert a PKCS#1 or SEC1 key with openssl "
            + "pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
  }

  private static EtcdLeaseLock build(EtcdTls tls) {
    return EtcdLeaseLock.builder("x").endpoints("https://127.0.0.1:2379").tls(tls).build();
  }

  private static String stackTrace(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    return text.toString();
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
