package dev.leaderelection.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts child JVMs for tests as hermetically as the test JVM itself: no ambient cluster
 * configuration in their environment, temporary files under this JVM's {@code java.io.tmpdir}
 * (the module's {@code target/} under Maven), and no {@code hsperfdata} file left in {@code /tmp}
 * when a test kills them.
 */
public final class ChildJvm {

  /** Environment variables through which a process would find a cluster on its own. */
  public static final List<String> AMBIENT_CLUSTER_VARIABLES =
      List.of("KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT");

  private ChildJvm() {
  }

  /**
   * A process builder for {@code java <jvmAndProgramArguments>} with this JVM's {@code java}
   * binary; callers add what the child needs (e.g. {@code KUBECONFIG}) to its environment.
   */
  public static ProcessBuilder builder(List<String> jvmAndProgramArguments) {
    return clean(new ProcessBuilder(command(jvmAndProgramArguments)));
  }

  /** The full command line: this JVM's {@code java}, the hermetic options, then the arguments. */
  public static List<String> command(List<String> jvmAndProgramArguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.add("-XX:-UsePerfData");
    command.addAll(jvmAndProgramArguments);
    return command;
  }

  /** Removes ambient cluster configuration from a builder's environment; returns the builder. */
  public static ProcessBuilder clean(ProcessBuilder builder) {
    AMBIENT_CLUSTER_VARIABLES.forEach(builder.environment()::remove);
    return builder;
  }
}
