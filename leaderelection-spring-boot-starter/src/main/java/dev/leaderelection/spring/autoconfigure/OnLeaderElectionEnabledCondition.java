package dev.leaderelection.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code leader-election.enabled} is {@code false}. Any value other than
 * {@code true} or {@code false} stops startup: a typo such as {@code flase} or {@code maybe} must
 * not silently turn every election off.
 */
final class OnLeaderElectionEnabledCondition extends SpringBootCondition {

  static final String PROPERTY = ElectionSettingsResolver.PREFIX + ".enabled";

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context,
      AnnotatedTypeMetadata metadata) {
    String value = context.getEnvironment().getProperty(PROPERTY);
    if (value == null || value.trim().equalsIgnoreCase("true")) {
      return ConditionOutcome.match(PROPERTY + " is " + (value == null ? "not set" : value));
    }
    if (value.trim().equalsIgnoreCase("false")) {
      return ConditionOutcome.noMatch(PROPERTY + " is false");
    }
    throw new InvalidLeaderElectionPropertyException(PROPERTY, value, "must be true or false",
        "use true, or false to turn leader election off");
  }
}
