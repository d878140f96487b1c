package dev.leaderelection.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/** A leader-election property breaks a rule; reported by {@link LeaderElectionFailureAnalyzer}. */
final class InvalidLeaderElectionPropertyException extends RuntimeException {

  private final String property;
  private final @Nullable String value;
  private final String rule;
  private final String fix;

  InvalidLeaderElectionPropertyException(String property, @Nullable String value, String rule,
      String fix) {
    super(property + " is " + (value == null ? "not set" : "'" + value + "'") + " but " + rule);
    this.property = property;
    this.value = value;
    this.rule = rule;
    this.fix = fix;
  }

  String property() {
    return property;
  }

  @Nullable String value() {
    return value;
  }

  String rule() {
    return rule;
  }

  String fix() {
    return fix;
  }
}
