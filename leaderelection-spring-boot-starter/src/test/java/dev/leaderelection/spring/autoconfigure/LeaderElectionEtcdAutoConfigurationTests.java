package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.etcd.EtcdLeaseLock;
import dev.leaderelection.etcd.testing.TestCertificates;
import dev.leaderelection.spi.LockReference;
import io.etcd.jetcd.Client;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/**
 * {@code leader-election.lock=etcd}: the lock each election gets, the application's jetcd client
 * winning, and every bad {@code leader-election.etcd} value failing the startup with the
 * property, the value and the fix. Nothing here connects: jetcd connects on the first call.
 */
@ExtendWith(OutputCaptureExtension.class)
class LeaderElectionEtcdAutoConfigurationTests {

  private static final String PASSWORD = "s3cret-Pa55";

  private final ApplicationContextRunner runner = StarterContexts.bare().withPropertyValues(
      "leader-election.lease-name=reports", "leader-election.lock=etcd",
      "leader-election.release-on-shutdown=false");

  @TempDir
  Path dir;

  @Test
  void etcdElectionShouldHoldItsKeyUnderThePrefix() {
    runner.withPropertyValues("leader-election.etcd.endpoints=http://127.0.0.1:1",
            "leader-election.elections.billing.lease-name=billing-lease",
            "leader-election.etcd.key-prefix=/my-team/")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(JetcdElectionLocks.class);
          assertThat(lock(context, "leaderElector").reference())
              .isEqualTo(new LockReference("etcd", null, "/my-team/reports"));
          assertThat(lock(context, "billingLeaderElector").key())
              .as("a named election inherits lock=etcd").isEqualTo("/my-team/billing-lease");
          assertThat(lock(context, "leaderElector").describe())
              .isEqualTo("etcd key /my-team/reports at http://127.0.0.1:1");
        });
  }

  @Test
  void applicationsJetcdClientShouldWinOverTheEndpoints() {
    Client client = Client.builder().endpoints("http://127.0.0.1:2").build();
    runner.withPropertyValues("leader-election.etcd.endpoints=http://127.0.0.1:1")
        .withBean(Client.class, () -> client)
        .run(context -> assertThat(lock(context, "leaderElector").describe())
            .isEqualTo("etcd key /leaderelection/reports at etcd (the application's client)"));
    client.close();
  }

  @Test
  void missingEndpointsShouldFailNamingThePropertyAndTheElection() {
    runner.run(context -> assertFailure(context, "leader-election.etcd.endpoints is not set but "
        + "must name at least one etcd endpoint, because election 'default' has lock=etcd",
        "define an io.etcd.jetcd.Client bean"));
  }

  @Test
  void malformedEndpointShouldFailNamingIt() {
    runner.withPropertyValues("leader-election.etcd.endpoints=etcd-0:2379")
        .run(context -> assertFailure(context, "leader-election.etcd.endpoints is 'etcd-0:2379' "
            + "but must be http://host:port or https://host:port", "https://etcd-0:2379"));
  }

  @Test
  void mixedSchemesShouldFailNamingTheOddEndpoint() {
    runner.withPropertyValues(
            "leader-election.etcd.endpoints=https://etcd-0:2379,http://etcd-1:2379")
        .run(context -> assertFailure(context, "leader-election.etcd.endpoints[1] is "
            + "'http://etcd-1:2379' but mixes http:// with https://", "for every endpoint"));
  }

  @Test
  void sslBundleWithHttpEndpointsShouldFail() {
    withSslBundles().withPropertyValues("leader-election.etcd.endpoints=http://etcd-0:2379",
            "leader-election.etcd.ssl.bundle=etcd")
        .run(context -> assertFailure(context, "leader-election.etcd.endpoints is "
            + "'http://etcd-0:2379' but must be https:// when leader-election.etcd.ssl.bundle "
            + "is set", "use https:// endpoints"));
  }

  @Test
  void unknownSslBundleShouldFailNamingIt() {
    withSslBundles().withPropertyValues("leader-election.etcd.endpoints=https://etcd-0:2379",
            "leader-election.etcd.ssl.bundle=etcd")
        .run(context -> assertFailure(context, "leader-election.etcd.ssl.bundle is 'etcd' but "
            + "names no SSL bundle of this application", "spring.ssl.bundle.pem.etcd"));
  }

  @Test
  void authorityWithoutABundleShouldFail() {
    runner.withPropertyValues("leader-election.etcd.endpoints=https://etcd-0:2379",
            "leader-election.etcd.ssl.authority=etcd.test")
        .run(context -> assertFailure(context, "leader-election.etcd.ssl.authority is "
            + "'etcd.test' but needs leader-election.etcd.ssl.bundle",
            "set leader-election.etcd.ssl.bundle"));
  }

  @Test
  void sslBundleShouldGiveTheLockItsTrustAndClientCertificate() throws Exception {
    TestCertificates certificates = TestCertificates.createIn(dir);
    Path client = certificates.client("reports", "reports");
    withSslBundles().withPropertyValues("leader-election.etcd.endpoints=https://etcd-0:2379",
            "leader-election.etcd.ssl.bundle=etcd",
            "leader-election.etcd.ssl.authority=etcd.test",
            "spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + certificates.caFile(),
            "spring.ssl.bundle.pem.etcd.keystore.certificate=file:" + client,
            "spring.ssl.bundle.pem.etcd.keystore.private-key=file:"
                + TestCertificates.keyOf(client))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(EtcdSettingsCheck.tls(context.getBean(LeaderElectionProperties.class).etcd(),
              context.getBean(SslBundles.class))).hasToString(
                  "EtcdTls[managers, client certificate=true, authority=etcd.test]");
        });
  }

  @Test
  void endpointWithCredentialsShouldFailWithoutShowingThem() {
    runner.withPropertyValues(
            "leader-election.etcd.endpoints=https://etcd-0:2379,http://admin:" + PASSWORD
                + "@etcd-1:2379")
        .run(context -> {
          assertFailure(context, "leader-election.etcd.endpoints is 'http://******@etcd-1:2379' "
              + "but must not carry a user or password", "remove the user and password from "
              + "the endpoint, and set leader-election.etcd.username and "
              + "leader-election.etcd.password");
          assertThat(stackTrace(context.getStartupFailure())).doesNotContain(PASSWORD, "admin");
        });
    runner.withPropertyValues("leader-election.etcd.endpoints=http://admin:" + PASSWORD
            + " @etcd-1:2379")
        .run(context -> {
          assertFailure(context, "leader-election.etcd.endpoints is 'http://******@etcd-1:2379' "
              + "but must be http://host:port or https://host:port (Illegal character",
              "https://etcd-0:2379");
          assertThat(stackTrace(context.getStartupFailure())).doesNotContain(PASSWORD, "admin");
        });
  }

  @Test
  void endpointWithAPathQueryOrFragmentShouldFail() {
    for (String endpoint : new String[] {"http://etcd-0:2379/v3/kv", "http://etcd-0:2379?x=1",
        "http://etcd-0:2379#f", "http://etcd-0:2379/v3/kv?x=1#f"}) {
      runner.withPropertyValues("leader-election.etcd.endpoints=" + endpoint)
          .run(context -> assertFailure(context, "leader-election.etcd.endpoints is '" + endpoint
              + "' but must be http://host:port or https://host:port, without a path, query or "
              + "fragment", "remove what follows the port"));
    }
  }

  @Test
  void sslBundleWithAKeyTheClientCannotPresentShouldFailNamingTheBundle() throws Exception {
    TestCertificates certificates = TestCertificates.createIn(dir);
    Path client = certificates.client("reports", "reports", "Ed25519");
    withClientCertificate(certificates, client, TestCertificates.keyOf(client))
        .run(context -> assertFailure(context, "leader-election.etcd.ssl.bundle is 'etcd' but "
            + "names an SSL bundle whose client key is an Ed25519 key, which the etcd client "
            + "cannot present", "give the SSL bundle 'etcd' an RSA or EC client key and its "
            + "certificate (spring.ssl.bundle.pem.etcd.keystore, or .jks.etcd.keystore)"));
  }

  @Test
  void sslBundleWithTheKeyOfAnotherCertificateShouldFailNamingTheBundle() throws Exception {
    TestCertificates certificates = TestCertificates.createIn(dir);
    Path client = certificates.client("reports", "reports");
    Path other = certificates.client("other", "reports");
    withClientCertificate(certificates, client, TestCertificates.keyOf(other))
        .run(context -> assertFailure(context, "leader-election.etcd.ssl.bundle is 'etcd' but "
            + "names an SSL bundle whose client key is not the key of its certificate",
            "give the SSL bundle 'etcd' the private key its client certificate was issued for"));
  }

  @Test
  void sslBundleWithAGarbagePemShouldStopStartupWithAFailureAnalysis(CapturedOutput output)
      throws Exception {
    TestCertificates certificates = TestCertificates.createIn(dir);
    Path client = certificates.client("reports", "reports");
    Path garbage = Files.writeString(dir.resolve("garbage.pem"),
        "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZSBnYXJiYWdl\n-----END CERTIFICATE-----\n");
    Path garbageKey = Files.writeString(dir.resolve("garbage-key.pem"),
        "-----BEGIN PRIVATE KEY-----\nZ2FyYmFnZSBnYXJiYWdl\n-----END PRIVATE KEY-----\n");
    Map<String, String[]> bundles = Map.of(
        "trust store", new String[] {
            "spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + garbage},
        "private key", new String[] {
            "spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + certificates.caFile(),
            "spring.ssl.bundle.pem.etcd.keystore.certificate=file:" + client,
            "spring.ssl.bundle.pem.etcd.keystore.private-key=file:" + garbageKey});
    for (Map.Entry<String, String[]> bundle : bundles.entrySet()) {
      int before = output.getOut().length();
      assertThatThrownBy(() -> new SpringApplicationBuilder(EtcdApplication.class)
          .web(WebApplicationType.NONE)
          .run(Stream.concat(Stream.of("--KUBECONFIG=", "--KUBERNETES_SERVICE_HOST=",
              "--leader-election.lease-name=reports", "--leader-election.lock=etcd",
              "--leader-election.etcd.endpoints=https://etcd-0:2379",
              "--leader-election.etcd.ssl.bundle=etcd"),
              Stream.of(bundle.getValue()).map(property -> "--" + property))
              .toArray(String[]::new)))
          .isInstanceOf(RuntimeException.class);

      assertThat(output.getOut().substring(before)).as(bundle.getKey())
          .contains("APPLICATION FAILED TO START")
          .contains("Leader election is misconfigured: leader-election.etcd.ssl.bundle is "
              + "'etcd' but names an SSL bundle that cannot be loaded (")
          .contains(bundle.getKey())
          .contains("Update 'leader-election.etcd.ssl.bundle' in your application "
              + "configuration: fix the files of the SSL bundle 'etcd' "
              + "(spring.ssl.bundle.pem.etcd, or .jks.etcd)")
          .doesNotContain("Application run failed");
    }
  }

  private ApplicationContextRunner withClientCertificate(TestCertificates certificates,
      Path certificate, Path key) {
    return withSslBundles().withPropertyValues(
        "leader-election.etcd.endpoints=https://etcd-0:2379",
        "leader-election.etcd.ssl.bundle=etcd",
        "spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + certificates.caFile(),
        "spring.ssl.bundle.pem.etcd.keystore.certificate=file:" + certificate,
        "spring.ssl.bundle.pem.etcd.keystore.private-key=file:" + key);
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({SslAutoConfiguration.class,
      LeaderElectionKubernetesAutoConfiguration.class, LeaderElectionEtcdAutoConfiguration.class,
      LeaderElectionInMemoryAutoConfiguration.class, LeaderElectionAutoConfiguration.class})
  static class EtcdApplication {
  }

  private ApplicationContextRunner withSslBundles() {
    return runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class));
  }

  @Test
  void passwordWithoutAUserShouldFailWithoutShowingThePassword() {
    runner.withPropertyValues("leader-election.etcd.endpoints=http://etcd-0:2379",
            "leader-election.etcd.password=" + PASSWORD)
        .run(context -> {
          assertFailure(context, "leader-election.etcd.username is not set but must be set with "
              + "leader-election.etcd.password", "set the etcd user");
          assertThat(context.getStartupFailure()).hasStackTraceContaining("username")
              .satisfies(failure -> assertThat(stackTrace(failure)).doesNotContain(PASSWORD));
        });
  }

  @Test
  void callTimeoutNotBelowTheRenewDeadlineShouldFail() {
    runner.withPropertyValues("leader-election.etcd.endpoints=http://etcd-0:2379",
            "leader-election.etcd.call-timeout=10s")
        .run(context -> assertFailure(context, "leader-election.etcd.call-timeout is '10s' but "
            + "must be more than zero and less than the renew deadline (10s) of election "
            + "'default'", "set it below 10s"));
  }

  @Test
  void propertiesShouldNeverShowThePassword() {
    runner.withPropertyValues("leader-election.etcd.endpoints=http://etcd-0:2379",
            "leader-election.etcd.username=elector", "leader-election.etcd.password=" + PASSWORD)
        .run(context -> {
          assertThat(context).hasNotFailed();
          LeaderElectionProperties properties = context.getBean(LeaderElectionProperties.class);
          assertThat(properties.etcd().password()).isEqualTo(PASSWORD);
          assertThat(properties.toString()).contains("username=elector", "password=(hidden)")
              .doesNotContain(PASSWORD);
          assertThat(lock(context, "leaderElector").toString()).doesNotContain(PASSWORD);
        });
  }

  @Test
  void withoutJetcdOnTheClasspathLockEtcdShouldNameTheDependency() {
    runner.withClassLoader(new FilteredClassLoader("io.etcd.jetcd", "dev.leaderelection.etcd"))
        .run(context -> assertFailure(context, "leader-election.lock is 'etcd' but needs "
            + "dev.leaderelection:leaderelection-etcd on the classpath, and it is not there",
            "add the dependency dev.leaderelection:leaderelection-etcd"));
  }

  @Test
  void withoutJetcdOnTheClasspathOtherLocksShouldWork() {
    runner.withClassLoader(new FilteredClassLoader("io.etcd.jetcd", "dev.leaderelection.etcd"))
        .withPropertyValues("leader-election.lock=in-memory")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(LeaderElector.class));
  }

  /** The etcd lock of an election, under the decorators the starter may put around it. */
  private static EtcdLeaseLock lock(AssertableApplicationContext context, String elector) {
    String key = context.getBean(elector, LeaderElector.class).lock().reference().name();
    return context.getBean(JetcdElectionLocks.class).made().stream()
        .filter(lock -> lock.key().equals(key)).findFirst().orElseThrow();
  }

  private static void assertFailure(AssertableApplicationContext context, String message,
      String fix) {
    assertThat(context).hasFailed();
    assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(
        InvalidLeaderElectionPropertyException.class).rootCause().hasMessageStartingWith(message);
    FailureAnalysis analysis =
        new LeaderElectionFailureAnalyzer().analyze(context.getStartupFailure());
    assertThat(analysis).isNotNull();
    assertThat(analysis.getAction()).contains(fix);
  }

  private static String stackTrace(Throwable failure) {
    java.io.StringWriter text = new java.io.StringWriter();
    failure.printStackTrace(new java.io.PrintWriter(text));
    return text.toString();
  }
}
