package dev.leaderelection.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.etcd.testing.EtcdLauncherExtension;
import dev.leaderelection.etcd.testing.EtcdServer;
import dev.leaderelection.etcd.testing.TestCertificates;
import dev.leaderelection.spring.LeadershipAcquiredEvent;
import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Web applications electing on real etcd servers with {@code leader-election.lock=etcd}, as
 * users configure them: over TLS with client certificates (test-made), and as a user of etcd's
 * authentication whose role covers only {@code /leaderelection/}. The health endpoint names the
 * endpoint and the reason when etcd refuses: authentication, permission, TLS, unreachable.
 */
@ExtendWith(EtcdLauncherExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdElectionsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PASSWORD = "elector-Pa55-" + System.nanoTime();

  private final ElectionHealth health = new ElectionHealth();
  private final List<ConfigurableApplicationContext> started = new ArrayList<>();
  private Path dir;
  private TestCertificates certificates;
  private EtcdServer tlsServer;
  private EtcdServer authServer;

  @BeforeAll
  void startEtcd(EtcdLauncher launcher) throws Exception {
    dir = Files.createTempDirectory("etcd-starter");
    certificates = TestCertificates.createIn(dir);
    Path serving = certificates.server("server", List.of("etcd.test"));
    tlsServer = launcher.start(new EtcdServer.Tls(serving, TestCertificates.keyOf(serving),
        certificates.caFile()));
    authServer = launcher.start();
    try (Client root = authServer.client()) {
      Auth auth = root.getAuthClient();
      String rootPassword = "root-" + System.nanoTime();
      auth.userAdd(bytes("root"), bytes(rootPassword)).get(5, TimeUnit.SECONDS);
      auth.roleAdd(bytes("root")).get(5, TimeUnit.SECONDS);
      auth.userGrantRole(bytes("root"), bytes("root")).get(5, TimeUnit.SECONDS);
      auth.userAdd(bytes("elector"), bytes(PASSWORD)).get(5, TimeUnit.SECONDS);
      auth.roleAdd(bytes("election")).get(5, TimeUnit.SECONDS);
      auth.roleGrantPermission(bytes("election"), bytes("/leaderelection/"),
          bytes("/leaderelection0"), Permission.Type.READWRITE).get(5, TimeUnit.SECONDS);
      auth.userGrantRole(bytes("elector"), bytes("election")).get(5, TimeUnit.SECONDS);
      auth.authEnable().get(5, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  void stopEverything() throws IOException {
    started.forEach(ConfigurableApplicationContext::close);
    tlsServer.close();
    authServer.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }

  @Test
  void twoApplicationsShouldElectOneLeaderOverTlsAndHandOverWhenItCloses() throws Exception {
    Path client = certificates.client("client", "elector");
    List<String> tls = List.of("--leader-election.etcd.endpoints=" + tlsServer.endpoint(),
        "--spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + certificates.caFile(),
        "--spring.ssl.bundle.pem.etcd.keystore.certificate=file:" + client,
        "--spring.ssl.bundle.pem.etcd.keystore.private-key=file:"
            + TestCertificates.keyOf(client),
        "--leader-election.etcd.ssl.bundle=etcd",
        "--leader-election.etcd.ssl.authority=etcd.test");
    ConfigurableApplicationContext a = start("app-a", "tls-election", tls);
    await().atMost(WAIT).until(() -> elector(a).isLeader());
    ConfigurableApplicationContext b = start("app-b", "tls-election", tls);
    await().atMost(WAIT).until(() -> elector(b).leader().isPresent());

    assertThat(elector(b).isLeader()).isFalse();
    JsonObject leader = health.of(a, 200);
    assertThat(ElectionHealth.detail(leader, "role")).isEqualTo("LEADER");
    assertThat(ElectionHealth.detail(leader, "lease"))
        .isEqualTo("etcd key /leaderelection/tls-election at " + tlsServer.endpoint());
    assertThat(ElectionHealth.detail(health.of(b, 200), "leader")).isEqualTo("app-a");

    a.close();
    await().atMost(WAIT).until(() -> elector(b).isLeader());
    assertThat(b.getBean(ElectionTestApplication.EventRecorder.class)
        .of(LeadershipAcquiredEvent.class)).singleElement()
        .satisfies(event -> assertThat(event.identity()).isEqualTo("app-b"));
  }

  @Test
  void userWhoseRoleCoversThePrefixShouldLead() {
    ConfigurableApplicationContext app = start("app-auth", "auth-election", List.of(
        "--leader-election.etcd.endpoints=" + authServer.endpoint(),
        "--leader-election.etcd.username=elector", "--leader-election.etcd.password=" + PASSWORD));

    await().atMost(WAIT).until(() -> elector(app).isLeader());
  }

  @Test
  void wrongPasswordShouldTurnHealthDownWithTheReasonAndWithoutThePassword() throws Exception {
    String wrong = "not-" + PASSWORD;
    ConfigurableApplicationContext app = start("app-wrong", "auth-election", List.of(
        "--leader-election.etcd.endpoints=" + authServer.endpoint(),
        "--leader-election.etcd.username=elector", "--leader-election.etcd.password=" + wrong));

    JsonObject health = downHealth(app);
    assertThat(ElectionHealth.detail(health, "reason")).isEqualTo("authentication failed");
    assertThat(ElectionHealth.detail(health, "endpoints")).isEqualTo(authServer.endpoint());
    assertThat(health.toString()).doesNotContain(wrong).doesNotContain(PASSWORD);
  }

  @Test
  void keyOutsideTheUsersRoleShouldTurnHealthDownAsPermissionDenied() throws Exception {
    ConfigurableApplicationContext app = start("app-denied", "denied", List.of(
        "--leader-election.etcd.endpoints=" + authServer.endpoint(),
        "--leader-election.etcd.key-prefix=/elsewhere/",
        "--leader-election.etcd.username=elector", "--leader-election.etcd.password=" + PASSWORD));

    JsonObject health = downHealth(app);
    assertThat(ElectionHealth.detail(health, "reason")).isEqualTo("permission denied on the key");
    assertThat(ElectionHealth.detail(health, "key")).isEqualTo("/elsewhere/denied");
    assertThat(ElectionHealth.detail(health, "error")).contains("etcdctl role grant-permission");
  }

  @Test
  void missingClientCertificateShouldTurnHealthDownAsAFailedTlsHandshake() throws Exception {
    ConfigurableApplicationContext app = start("app-no-cert", "tls-election", List.of(
        "--leader-election.etcd.endpoints=" + tlsServer.endpoint(),
        "--spring.ssl.bundle.pem.etcd.truststore.certificate=file:" + certificates.caFile(),
        "--leader-election.etcd.ssl.bundle=etcd",
        "--leader-election.etcd.ssl.authority=etcd.test"));

    JsonObject health = downHealth(app);
    assertThat(ElectionHealth.detail(health, "reason")).isEqualTo("TLS handshake failed");
    assertThat(ElectionHealth.detail(health, "endpoints")).isEqualTo(tlsServer.endpoint());
  }

  @Test
  void etcdThatIsNotThereShouldTurnHealthDownAsUnreachable() throws Exception {
    String nowhere;
    try (ServerSocket socket = new ServerSocket(0)) {
      nowhere = "http://127.0.0.1:" + socket.getLocalPort();
    }
    ConfigurableApplicationContext app = start("app-nowhere", "nowhere",
        List.of("--leader-election.etcd.endpoints=" + nowhere));

    JsonObject health = downHealth(app);
    assertThat(ElectionHealth.detail(health, "reason")).isEqualTo("unreachable");
    assertThat(ElectionHealth.detail(health, "endpoints")).isEqualTo(nowhere);
  }

  private ConfigurableApplicationContext start(String identity, String leaseName,
      List<String> etcd) {
    List<String> args = new ArrayList<>(List.of(
        // Command-line arguments outrank the environment: an ambient KUBECONFIG cannot win.
        "--KUBECONFIG=", "--KUBERNETES_SERVICE_HOST=",
        "--server.port=0",
        "--leader-election.lock=etcd",
        "--leader-election.lease-name=" + leaseName,
        "--leader-election.identity=" + identity,
        "--leader-election.lease-duration=3s",
        "--leader-election.renew-deadline=2s",
        "--leader-election.retry-period=500ms",
        "--leader-election.health.failure-tolerance=0s",
        "--management.endpoints.web.exposure.include=health",
        "--management.endpoint.health.show-details=always"));
    args.addAll(etcd);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ElectionTestApplication.class)
            .run(args.toArray(String[]::new));
    started.add(context);
    return context;
  }

  private JsonObject downHealth(ConfigurableApplicationContext app) throws Exception {
    await().atMost(WAIT).until(() -> elector(app).lastFailure().isPresent());
    return health.of(app, 503);
  }

  private static LeaderElector elector(ConfigurableApplicationContext context) {
    return context.getBean(LeaderElector.class);
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
