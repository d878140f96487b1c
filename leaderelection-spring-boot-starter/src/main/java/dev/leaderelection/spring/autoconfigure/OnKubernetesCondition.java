package dev.leaderelection.spring.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when a Kubernetes API is configured: a kubeconfig file, or a pod's service account. */
final class OnKubernetesCondition extends SpringBootCondition {

  static final Path SERVICE_ACCOUNT_TOKEN =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context,
      AnnotatedTypeMetadata metadata) {
    Environment environment = context.getEnvironment();
    Path kubeconfig = kubeconfig(environment);
    if (kubeconfig != null) {
      return ConditionOutcome.match("kubeconfig " + kubeconfig + " found");
    }
    if (inCluster(environment)) {
      return ConditionOutcome.match("running in a Kubernetes pod with a service account");
    }
    return ConditionOutcome.noMatch("no kubeconfig and no service account");
  }

  /** The kubeconfig named by KUBECONFIG, or ~/.kube/config, when the file exists. */
  static @Nullable Path kubeconfig(Environment environment) {
    String configured = environment.getProperty("KUBECONFIG");
    if (configured != null && !configured.isBlank()) {
      Path first = Path.of(configured.split(java.io.File.pathSeparator)[0]);
      return Files.isRegularFile(first) ? first : null;
    }
    Path home = Path.of(environment.getProperty("user.home", ""), ".kube", "config");
    return Files.isRegularFile(home) ? home : null;
  }

  static boolean inCluster(Environment environment) {
    return environment.getProperty("KUBERNETES_SERVICE_HOST") != null
        && Files.isReadable(SERVICE_ACCOUNT_TOKEN);
  }
}
