package dev.leaderelection.spring.autoconfigure;

/**
 * The Kubernetes configuration the environment names cannot be used; reported by
 * {@link LeaderElectionFailureAnalyzer}. Messages name files and variables, never credentials.
 */
final class KubernetesConfigurationException extends RuntimeException {

  private final String fix;

  KubernetesConfigurationException(String problem, String fix) {
    super(problem);
    this.fix = fix;
  }

  KubernetesConfigurationException(String problem, String fix, Throwable cause) {
    super(problem, cause);
    this.fix = fix;
  }

  String fix() {
    return fix;
  }
}
