package dev.leaderelection.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a startup failure of one of the starter's own rules: a {@code leader-election.*}
 * property that breaks one (which property, its value, the rule and the fix), or a Kubernetes
 * configuration that cannot be used. A value that cannot be converted at all (an unknown lock
 * type, a malformed duration) is left to Spring Boot's {@code BindFailureAnalyzer}, which also
 * names where the value came from and the valid values.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class LeaderElectionFailureAnalyzer implements FailureAnalyzer {

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesConfigurationException kubernetes) {
        return new FailureAnalysis("Leader election cannot use the Kubernetes configuration: "
            + kubernetes.getMessage() + ".", capitalized(kubernetes.fix()) + ".", kubernetes);
      }
      if (cause instanceof InvalidLeaderElectionPropertyException invalid) {
        return new FailureAnalysis("Leader election is misconfigured: " + invalid.getMessage()
            + ".", action(invalid), invalid);
      }
    }
    return null;
  }

  private static String action(InvalidLeaderElectionPropertyException invalid) {
    return invalid.property().startsWith(ElectionSettingsResolver.PREFIX)
        ? "Update '" + invalid.property() + "' in your application configuration: "
            + invalid.fix() + "."
        : capitalized(invalid.fix()) + ".";
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
