package dev.leaderelection.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the environment shows a sign of Kubernetes: {@code KUBECONFIG},
 * {@code ~/.kube/config} or {@code KUBERNETES_SERVICE_HOST}; whether it can be used is checked
 * when the client is created.
 */
final class OnKubernetesCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context,
      AnnotatedTypeMetadata metadata) {
    if (KubernetesConfiguration.configured(context.getEnvironment())) {
      return ConditionOutcome.match(KubernetesConfiguration.describe(context.getEnvironment()));
    }
    return ConditionOutcome.noMatch("no KUBECONFIG, no ~/.kube/config and no "
        + "KUBERNETES_SERVICE_HOST");
  }
}
