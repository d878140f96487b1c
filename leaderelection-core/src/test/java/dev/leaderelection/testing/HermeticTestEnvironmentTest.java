package dev.leaderelection.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The build keeps tests away from the developer's cluster and out of {@code /tmp}: test JVMs see
 * no ambient cluster configuration, their home and temporary directory lie under
 * {@code target/}, and child JVMs inherit neither the variables nor {@code /tmp}.
 */
class HermeticTestEnvironmentTest {

  @Test
  void testJvmShouldSeeNoAmbientClusterConfiguration() {
    for (String variable : ChildJvm.AMBIENT_CLUSTER_VARIABLES) {
      assertThat(System.getenv(variable)).as(variable).isNull();
    }
    Path home = Path.of(System.getProperty("user.home"));
    assertThat(home.toString()).as("user.home").contains("target");
    assertThat(Files.exists(home.resolve(".kube/config"))).as("~/.kube/config").isFalse();
  }

  @Test
  void testJvmShouldKeepTemporaryFilesUnderTarget() {
    assertThat(System.getProperty("java.io.tmpdir")).contains("target");
  }

  @Test
  void childJvmsShouldNotInheritAmbientClusterConfigurationOrTmp() {
    ProcessBuilder builder = new ProcessBuilder("true");
    builder.environment().put("KUBECONFIG", "/home/someone/.kube/production");
    builder.environment().put("KUBERNETES_SERVICE_HOST", "10.0.0.1");
    builder.environment().put("KUBERNETES_SERVICE_PORT", "443");

    ChildJvm.clean(builder);

    assertThat(builder.environment()).doesNotContainKeys("KUBECONFIG",
        "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT");
    List<String> command = ChildJvm.command(List.of("-version"));
    assertThat(command).contains("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-XX:-UsePerfData").endsWith("-version");
  }
}
