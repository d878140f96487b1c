package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.LeaderElector;
import io.kubernetes.client.openapi.ApiClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Kubernetes API client: from a kubeconfig or the pod's service account, or the
 * application's own. A sign of Kubernetes that cannot be used stops startup naming the file and
 * the problem; only an environment without any sign falls back to the in-memory lock.
 */
class LeaderElectionKubernetesAutoConfigurationTests {

  static final String VALID = """
      apiVersion: v1
      kind: Config
      clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
      users: [{name: u, user: {token: secret-token}}]
      contexts: [{name: x, context: {cluster: c, user: u}}]
      current-context: x
      """;

  @TempDir
  static Path dir;

  static Stream<Arguments> brokenKubeconfigs() {
    return Stream.of(
        broken("missing file", null, "does not exist"),
        broken("empty file", "", "is empty"),
        broken("blank file", "  \n\n", "is empty"),
        broken("garbage YAML", "clusters: [ {{ not yaml", "is not a kubeconfig"),
        broken("a YAML list", "- a\n- b\n", "is not a kubeconfig"),
        broken("a YAML scalar", "hello", "is not a kubeconfig"),
        broken("no current-context", VALID.replace("current-context: x", ""),
            "names no current-context"),
        broken("bad current-context", VALID.replace("current-context: x", "current-context: y"),
            "has current-context 'y', but no context of that name"),
        broken("context without a cluster server",
            VALID.replace("{server: \"https://127.0.0.1:1\"}", "{}"),
            "context 'x' names no cluster with a server"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenKubeconfigs")
  void brokenKubeconfigShouldStopStartupNamingTheFile(String name, String content,
      String problem) throws Exception {
    Path file = dir.resolve(name.replace(' ', '-'));
    if (content != null) {
      Files.writeString(file, content);
    }
    assertFailure(runner().withPropertyValues("KUBECONFIG=" + file), file.toString(), problem,
        "secret-token");
  }

  @Test
  void kubeconfigNamingADirectoryShouldStopStartup() {
    assertFailure(runner().withPropertyValues("KUBECONFIG=" + dir), dir.toString(),
        "is a directory, not a kubeconfig file", "");
  }

  @Test
  void kubeconfigListWithoutAnyUsableFileShouldNameEachEntry() {
    String list = dir.resolve("a") + File.pathSeparator + dir.resolve("b");
    assertFailure(runner().withPropertyValues("KUBECONFIG=" + list), dir.resolve("a")
        + " does not exist; " + dir.resolve("b") + " does not exist", "KUBECONFIG is", "");
  }

  @Test
  void kubeconfigListShouldUseItsFirstExistingFileAsKubectlDoes() throws Exception {
    Path valid = Files.writeString(dir.resolve("valid"), VALID);
    runner().withPropertyValues("KUBECONFIG=" + dir.resolve("gone") + File.pathSeparator + valid)
        .run(context -> assertThat(context).hasSingleBean(ApiClient.class));
  }

  @Test
  void brokenHomeKubeconfigShouldStopStartup() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home/.kube")).getParent();
    Files.writeString(home.resolve(".kube/config"), "");
    assertFailure(runner().withPropertyValues("user.home=" + home), "/.kube/config", "is empty",
        "");
  }

  @Test
  void serviceHostWithoutAServiceAccountShouldStopStartup() {
    assertFailure(runner().withPropertyValues("KUBERNETES_SERVICE_HOST=10.0.0.1"),
        "KUBERNETES_SERVICE_HOST is set", "service account token", "");
  }

  @Test
  void noSignOfKubernetesShouldCreateNoClient() {
    runner().run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(ApiClient.class);
    });
  }

  @Test
  void kubeconfigShouldGiveAnApiClientAndAutoShouldChooseALease() throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("config-for-auto"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: secret-token}}]
        contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
        current-context: x
        """);
    StarterContexts.runner().withPropertyValues("KUBECONFIG=" + kubeconfig,
            "leader-election.lock=auto", "POD_NAMESPACE=team-b")
        .run(context -> {
          assertThat(context).hasSingleBean(ApiClient.class);
          assertThat(context.getBean(LeaderElector.class).lock().describe())
              .isEqualTo("Lease team-b/my-app");
        });
  }

  @Test
  void applicationApiClientShouldBeUsedForALeaseLock() {
    ApiClient client = new ApiClient();
    StarterContexts.runner().withBean(ApiClient.class, () -> client)
        .withPropertyValues("leader-election.lock=lease", "leader-election.kubernetes.namespace=team-a")
        .run(context -> {
          assertThat(context).hasSingleBean(ApiClient.class)
              .doesNotHaveBean("leaderElectionApiClient");
          assertThat(context.getBean(LeaderElector.class).lock().describe())
              .isEqualTo("Lease team-a/my-app");
        });
  }

  private static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LeaderElectionKubernetesAutoConfiguration.class))
        .withPropertyValues("KUBECONFIG=", "KUBERNETES_SERVICE_HOST=",
            "user.home=" + dir.resolve("empty-home"));
  }

  private static void assertFailure(ApplicationContextRunner runner, String names,
      String problem, String secret) {
    runner.run(context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis =
          new LeaderElectionFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription())
          .startsWith("Leader election cannot use the Kubernetes configuration: ")
          .contains(names).contains(problem);
      if (!secret.isEmpty()) {
        assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(secret);
      }
      assertThat(analysis.getAction()).isNotBlank();
    });
  }

  private static Arguments broken(String name, String content, String problem) {
    return Arguments.of(name, content, problem);
  }
}
