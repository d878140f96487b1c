package dev.leaderelection.spring.autoconfigure;

import static dev.leaderelection.spring.autoconfigure.FakeApiServer.CANDIDATES;
import static dev.leaderelection.spring.autoconfigure.FakeApiServer.LEASES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.autoconfigure.FakeApiServer.Discovery;
import io.kubernetes.client.openapi.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.info.ProjectInfoAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Coordinated elections ({@code leader-election.kubernetes.coordinated.enabled}): every setting that breaks a rule
 * stops startup naming the property, its value and the rule; the defaults (build-info's version,
 * identities that name LeaseCandidates); and, against a real HTTP server answering as API
 * servers with and without the CoordinatedLeaderElection gate do, the candidacy, the fallback,
 * and an API server that does not answer at startup.
 */
@ExtendWith(OutputCaptureExtension.class)
class CoordinatedElectionTests {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  static Path dir;

  private FakeApiServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        bad("leader-election.lock=configmap", "leader-election.kubernetes.coordinated.enabled is 'true' but needs "
            + "a Lease lock, and leader-election.lock is 'configmap'", "use lock=lease"),
        bad("leader-election.lock=in-memory", "leader-election.kubernetes.coordinated.enabled is 'true' but needs "
            + "a Lease lock, and leader-election.lock is 'in-memory'", "use lock=lease"),
        bad("leader-election.elections.reports.lock=etcd", "leader-election.kubernetes.coordinated.enabled is "
            + "'true' but needs a Lease lock, and leader-election.elections.reports.lock is "
            + "'etcd'", "remove leader-election.kubernetes.coordinated.enabled"),
        bad("leader-election.kubernetes.migration.from=configmap", "leader-election.kubernetes.migration.from is "
            + "'configmap' but cannot be combined with leader-election.kubernetes.coordinated.enabled=true",
            "finish the migration first"),
        bad("leader-election.priority=3", "leader-election.priority is '3' but does not apply "
            + "with leader-election.kubernetes.coordinated.enabled=true: the API server chooses the leader",
            "remove the priority"),
        bad("leader-election.elections.reports.priority=2", "leader-election.elections.reports"
            + ".priority is '2' but does not apply with leader-election.kubernetes.coordinated.enabled=true",
            "remove the priority"),
        bad("leader-election.kubernetes.coordinated.binary-version=1.4", "leader-election.kubernetes.coordinated.binary-version is '1.4' but "
            + "must be a semantic version such as 1.4.2 or 1.5.0-rc.1", "such as 1.4.2"),
        bad("leader-election.kubernetes.coordinated.binary-version=v1.4.2", "leader-election.kubernetes.coordinated.binary-version is "
            + "'v1.4.2' but must be a semantic version", "such as 1.4.2"),
        bad("leader-election.kubernetes.coordinated.emulation-version=latest", "leader-election.kubernetes.coordinated.emulation-version is "
            + "'latest' but must be a semantic version", "not above the binary version"),
        bad("leader-election.kubernetes.coordinated.emulation-version=1.5.0", "leader-election.kubernetes.coordinated.emulation-version is "
            + "'1.5.0' but must not be above leader-election.kubernetes.coordinated.binary-version '1.4.2'",
            "remove it to emulate the binary version"),
        bad("leader-election.elections.reports.kubernetes.coordinated.binary-version=2", "leader-election.elections"
            + ".reports.kubernetes.coordinated.binary-version is '2' but must be a semantic version",
            "Update 'leader-election.elections.reports.kubernetes.coordinated.binary-version'"),
        bad("leader-election.identity=My_Pod", "leader-election.identity is 'My_Pod' but names "
            + "this instance's LeaseCandidate, so it must be a valid Kubernetes name",
            "Update 'leader-election.identity'"),
        bad("leader-election.elections.reports.kubernetes.coordinated.enabled=false,"
                + "leader-election.elections.billing.lock=configmap",
            "leader-election.kubernetes.coordinated.enabled is 'true' but needs a Lease lock, and "
                + "leader-election.elections.billing.lock is 'configmap'", "use lock=lease"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void badSettingShouldFailTheStartupNamingItsValueAndRule(String settings, String description,
      String action) {
    coordinated(new ApiClient().setBasePath("http://127.0.0.1:1"))
        .withPropertyValues("leader-election.elections.reports.lock=lease")
        .withPropertyValues(settings.split(","))
        .run(context -> assertFailure(context, description, action));
  }

  @Test
  void namedElectionCoordinatedOnItsOwnShouldBeNamedInItsMessages() {
    StarterContexts.runner().withBean(ApiClient.class, () -> new ApiClient())
        .withPropertyValues("leader-election.elections.reports.kubernetes.coordinated.enabled=true",
            "leader-election.elections.reports.lock=configmap")
        .run(context -> assertFailure(context, "leader-election.elections.reports.kubernetes.coordinated.enabled "
            + "is 'true' but needs a Lease lock, and leader-election.elections.reports.lock is "
            + "'configmap'", "remove leader-election.elections.reports.kubernetes.coordinated.enabled"));
  }

  @Test
  void noKubernetesApiShouldFailTheStartupNamingCoordinated() {
    StarterContexts.runner().withPropertyValues("leader-election.lock=auto",
            "leader-election.kubernetes.coordinated.enabled=true", "leader-election.kubernetes.coordinated.binary-version=1.4.2")
        .run(context -> assertFailure(context, "leader-election.kubernetes.coordinated.enabled is 'true' but needs "
            + "a Lease lock, and no Kubernetes API is configured", "use lock=lease"));
  }

  @Test
  void missingBinaryVersionShouldFailTheStartupSayingHowToSetIt() {
    coordinated(new ApiClient()).withPropertyValues("leader-election.kubernetes.coordinated.binary-version=")
        .run(context -> assertFailure(context, "leader-election.kubernetes.coordinated.binary-version is not set but "
            + "must be set for a coordinated election (leader-election.kubernetes.coordinated.enabled=true), and no "
            + "build-info gives the application's version",
            "spring-boot-maven-plugin goal build-info"));
  }

  @Test
  void binaryVersionShouldDefaultToTheVersionInBuildInfo() throws Exception {
    server = new FakeApiServer(Discovery.SERVED);
    withBuildInfo(coordinated(server.client()), "2.3.4")
        .withPropertyValues("leader-election.kubernetes.coordinated.binary-version=", "leader-election.identity=pod-a")
        .run(context -> {
          assertThat(context).hasNotFailed();
          JsonObject spec = await().atMost(WAIT).until(() -> candidate("pod-a"),
              candidate -> candidate != null).getAsJsonObject("spec");
          assertThat(spec.get("binaryVersion").getAsString()).isEqualTo("2.3.4");
          assertThat(spec.get("emulationVersion").getAsString()).isEqualTo("2.3.4");
          assertThat(spec.get("leaseName").getAsString()).isEqualTo("my-app");
          assertThat(spec.get("strategy").getAsString()).isEqualTo("OldestEmulationVersion");
        });
  }

  @Test
  void invalidVersionInBuildInfoShouldFailTheStartupNamingTheProperty() throws Exception {
    withBuildInfo(coordinated(new ApiClient()), "1.0")
        .withPropertyValues("leader-election.kubernetes.coordinated.binary-version=")
        .run(context -> assertFailure(context, "leader-election.kubernetes.coordinated.binary-version is '1.0' but "
            + "must be a semantic version", "the version in build-info is used"));
  }

  @Test
  void emulationVersionShouldBeAnnouncedWhenSet() {
    server = new FakeApiServer(Discovery.SERVED);
    coordinated(server.client()).withPropertyValues("leader-election.identity=pod-a",
            "leader-election.kubernetes.coordinated.binary-version=1.5.0", "leader-election.kubernetes.coordinated.emulation-version=1.4.0")
        .run(context -> {
          JsonObject spec = await().atMost(WAIT).until(() -> candidate("pod-a"),
              candidate -> candidate != null).getAsJsonObject("spec");
          assertThat(spec.get("binaryVersion").getAsString()).isEqualTo("1.5.0");
          assertThat(spec.get("emulationVersion").getAsString()).isEqualTo("1.4.0");
        });
  }

  @Test
  void generatedIdentityShouldBeAKubernetesNameInCoordinatedElectionsOnly() {
    server = new FakeApiServer(Discovery.SERVED);
    coordinated(server.client()).withPropertyValues("POD_NAME=Web_Pod.7",
            "leader-election.elections.local.lock=in-memory",
            "leader-election.elections.local.kubernetes.coordinated.enabled=false")
        .run(context -> {
          String coordinated = context.getBean("leaderElector", LeaderElector.class).identity();
          String plain = context.getBean("localLeaderElector", LeaderElector.class).identity();
          assertThat(coordinated).matches("web-pod\\.7-[0-9a-f]{8}");
          assertThat(plain).as("an uncoordinated election's identity, as ever")
              .isEqualTo("Web_Pod.7_" + coordinated.substring("web-pod.7-".length()));
          await().atMost(WAIT).until(() -> candidate(coordinated) != null);
        });
  }

  @Test
  void generatedIdentityShouldBeAKubernetesNameForAnyHostName() {
    assertThat(IdentityGenerator.objectName("Web_Pod.7")).isEqualTo("web-pod.7");
    assertThat(IdentityGenerator.objectName("-a..B-.-c_")).isEqualTo("a.b.c");
    assertThat(IdentityGenerator.objectName("ÄÖ")).isEqualTo("instance");
    assertThat(IdentityGenerator.objectName("x".repeat(62) + ".yz")).isEqualTo("x".repeat(62));
  }

  @Test
  void namedCoordinatedElectionShouldHaveACandidateOfItsOwn() {
    server = new FakeApiServer(Discovery.SERVED);
    coordinated(server.client()).withPropertyValues("leader-election.identity=pod-a",
            "leader-election.elections.reports.lease-name=reports-lease")
        .run(context -> {
          assertThat(context.getBean("leaderElector", LeaderElector.class).identity())
              .isEqualTo("pod-a");
          assertThat(context.getBean("reportsLeaderElector", LeaderElector.class).identity())
              .isEqualTo("pod-a-reports");
          JsonObject reports = await().atMost(WAIT).until(() -> candidate("pod-a-reports"),
              candidate -> candidate != null);
          assertThat(reports.getAsJsonObject("spec").get("leaseName").getAsString())
              .isEqualTo("reports-lease");
          await().atMost(WAIT).until(() -> candidate("pod-a") != null);
          assertThat(context.getBean(KubernetesCandidacyContributor.class)
              .healthDetails("reports")).containsEntry("coordination", "LeaseCandidate "
                  + "jobs/pod-a-reports (coordination.k8s.io/v1beta1, Lease reports-lease, "
                  + "version 1.4.2)");
        });
  }

  @Test
  void coordinatedElectorShouldLeadOnlyWhenTheApiServerNamesItAndWithdrawOnClose() {
    server = new FakeApiServer(Discovery.SERVED);
    coordinated(server.client()).withPropertyValues("leader-election.identity=pod-a")
        .run(context -> {
          LeaderElector elector = context.getBean(LeaderElector.class);
          await().atMost(WAIT).until(() -> candidate("pod-a") != null);
          await().during(Duration.ofSeconds(1)).atMost(WAIT)
              .until(() -> !elector.isLeader() && !server.objects().containsKey(LEASES + "my-app"));

          server.put(LEASES + "my-app", lease("pod-a"));
          await().atMost(WAIT).until(elector::isLeader);

          Health health = ((HealthIndicator) context.getBean("leaderElectionHealthContributor"))
              .health();
          assertThat(health.getStatus()).as("a candidacy's failure is no election's failure")
              .isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("role", "LEADER")
              .containsEntry("identity", "pod-a")
              .containsEntry("coordination", "LeaseCandidate jobs/pod-a "
                  + "(coordination.k8s.io/v1beta1, Lease my-app, version 1.4.2)");
          assertThat(health.getDetails().get("coordinationError").toString())
              .as("this server refuses watches").contains("refused to watch leasecandidates");
        });
    assertThat(candidate("pod-a")).as("withdrawn on close").isNull();
  }

  @Test
  void notServedShouldFailTheStartupNamingTheFeatureGate() {
    server = new FakeApiServer(Discovery.NOT_SERVED);
    coordinated(server.client()).run(context -> assertFailure(context,
        "leader-election.kubernetes.coordinated.enabled is 'true' but needs coordinated leader election on the API "
            + "server. The Kubernetes API server does not serve LeaseCandidates",
        "set leader-election.kubernetes.coordinated.fallback=true to elect without coordination"));
    assertThat(server.objects()).isEmpty();
  }

  @Test
  void notServedWithFallbackShouldElectAsUsualAfterOneWarning(CapturedOutput output) {
    server = new FakeApiServer(Discovery.NOT_SERVED);
    coordinated(server.client()).withPropertyValues("leader-election.kubernetes.coordinated.fallback=true",
            "leader-election.identity=pod-a")
        .run(context -> {
          assertThat(context).hasNotFailed();
          LeaderElector elector = context.getBean(LeaderElector.class);
          await().atMost(WAIT).until(elector::isLeader);
          assertThat(server.objects().get(LEASES + "my-app").getAsJsonObject("spec")
              .get("holderIdentity").getAsString()).as("the Lease it took itself")
              .isEqualTo("pod-a");
          assertThat(server.objects()).doesNotContainKey(CANDIDATES + "pod-a");
          assertThat(context.getBean(KubernetesCandidacyContributor.class)
              .healthDetails("default").get("coordination").toString())
              .startsWith("none: the API server does not serve LeaseCandidates");
          assertThat(output).containsOnlyOnce("Election 'default' runs as an ordinary election "
              + "on Lease jobs/my-app, as leader-election.kubernetes.coordinated.fallback=true allows: The "
              + "Kubernetes API server does not serve LeaseCandidates");
        });
  }

  @Test
  void unansweredAtStartupShouldStartAndAnnounceOnceTheApiServerAnswers() {
    server = new FakeApiServer(Discovery.FAILING);
    coordinated(server.client()).withPropertyValues("leader-election.identity=pod-a")
        .run(context -> {
          assertThat(context).hasNotFailed();
          KubernetesCandidacyContributor coordination =
              context.getBean(KubernetesCandidacyContributor.class);
          Map<String, Object> waiting = coordination.healthDetails("default");
          assertThat(waiting).containsEntry("coordination",
              "LeaseCandidate jobs/pod-a (not announced yet)");
          assertThat(waiting.get("coordinationError").toString()).contains("etcd is down");
          assertThat(((HealthIndicator) context.getBean("leaderElectionHealthContributor"))
              .health().getDetails()).containsKey("coordinationError");

          server.discovery(Discovery.SERVED);
          await().atMost(WAIT).until(() -> candidate("pod-a") != null);
          assertThat(coordination.healthDetails("default")).containsEntry("coordination",
              "LeaseCandidate jobs/pod-a (coordination.k8s.io/v1beta1, Lease my-app, "
                  + "version 1.4.2)");
        });
    assertThat(candidate("pod-a")).as("withdrawn on close").isNull();
  }

  @Test
  void unansweredAtStartupWithFallbackShouldFailTheStartup() {
    server = new FakeApiServer(Discovery.FAILING);
    coordinated(server.client()).withPropertyValues("leader-election.kubernetes.coordinated.fallback=true")
        .run(context -> assertFailure(context, "leader-election.kubernetes.coordinated.fallback is 'true' "
            + "but needs to know at startup whether the API server serves LeaseCandidates, and "
            + "it could not be asked", "set leader-election.kubernetes.coordinated.fallback=false"));
  }

  /** A coordinated default election on a Lease in namespace jobs, renewed every 200ms. */
  private static ApplicationContextRunner coordinated(ApiClient client) {
    return StarterContexts.runner().withBean(ApiClient.class, () -> client)
        .withPropertyValues("leader-election.lock=lease", "leader-election.kubernetes.namespace=jobs",
            "leader-election.kubernetes.coordinated.enabled=true", "leader-election.kubernetes.coordinated.binary-version=1.4.2",
            "leader-election.kubernetes.events.enabled=false", "leader-election.lease-duration=2s",
            "leader-election.renew-deadline=1s", "leader-election.retry-period=200ms");
  }

  private static ApplicationContextRunner withBuildInfo(ApplicationContextRunner runner,
      String version) throws Exception {
    Path buildInfo = Files.writeString(dir.resolve("build-info-" + version + ".properties"),
        "build.group=com.example\nbuild.artifact=app\nbuild.version=" + version + "\n");
    return runner.withConfiguration(AutoConfigurations.of(ProjectInfoAutoConfiguration.class))
        .withPropertyValues("spring.info.build.location=" + buildInfo.toUri());
  }

  private JsonObject candidate(String name) {
    return server.objects().get(CANDIDATES + name);
  }

  /** The Lease as the API server's controller writes it when it names {@code holder}. */
  private static JsonObject lease(String holder) {
    String now = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
        .format(OffsetDateTime.now(ZoneOffset.UTC));
    return JsonParser.parseString("{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\","
        + "\"metadata\":{\"name\":\"my-app\",\"namespace\":\"jobs\"},\"spec\":{\"holderIdentity\":"
        + "\"" + holder + "\",\"leaseDurationSeconds\":5,\"renewTime\":\"" + now + "\","
        + "\"strategy\":\"OldestEmulationVersion\"}}").getAsJsonObject();
  }

  private static void assertFailure(AssertableApplicationContext context, String description,
      String action) {
    assertThat(context).hasFailed();
    FailureAnalysis analysis =
        new LeaderElectionFailureAnalyzer().analyze(context.getStartupFailure());
    assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
    assertThat(analysis.getDescription()).contains(description);
    assertThat(analysis.getAction()).contains(action);
  }

  private static Arguments bad(String settings, String description, String action) {
    return Arguments.of(settings, description, action);
  }
}
