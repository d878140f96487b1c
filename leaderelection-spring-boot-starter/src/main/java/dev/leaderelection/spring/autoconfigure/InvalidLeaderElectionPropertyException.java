package dev.leaderelection.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A leader-election property breaks one of the starter's rules; its message names the property,
 * the value and the rule. Reported by {@link LeaderElectionFailureAnalyzer} with the fix.
 */
final class InvalidLeaderElectionPropertyException extends RuntimeException {

  private final String property;
  private final String fix;

  InvalidLeaderElectionPropertyException(String property, @Nullable String value, String rule,
      String fix) {
    super(property + " is " + (value == null ? "not set" : "'" + value + "'") + " but " + rule);
    this.property = property;
    this.fix = fix;
  }

  String property() {
    return property;
  }

  String fix() {
    return fix;
  }
}
