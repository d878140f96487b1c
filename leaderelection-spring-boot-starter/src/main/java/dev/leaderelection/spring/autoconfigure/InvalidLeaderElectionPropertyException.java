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
    this(property, value, rule, fix, null);
  }

  /** @param cause the failure that shows the property breaks the rule, or null */
  InvalidLeaderElectionPropertyException(String property, @Nullable String value, String rule,
      String fix, @Nullable Throwable cause) {
    this(property, property + " is " + (value == null ? "not set" : "'" + value + "'") + " but "
        + rule, fix, cause);
  }

  private InvalidLeaderElectionPropertyException(String property, String message, String fix,
      @Nullable Throwable cause) {
    super(message, cause);
    this.property = property;
    this.fix = fix;
  }

  /**
   * A property whose very name breaks a rule: the message is the property followed by
   * {@code predicate}, such as "is reserved: ...".
   */
  static InvalidLeaderElectionPropertyException named(String property, String predicate,
      String fix) {
    return new InvalidLeaderElectionPropertyException(property, property + " " + predicate, fix,
        (Throwable) null);
  }

  String property() {
    return property;
  }

  String fix() {
    return fix;
  }
}
