package dev.leaderelection.spring.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains an invalid {@code leader-election.*} property at startup: which one, its value, the
 * rule it breaks and how to fix it. Covers the starter's own rules and values that cannot be
 * converted at all (an unknown lock type, a malformed duration).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class LeaderElectionFailureAnalyzer implements FailureAnalyzer {

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesConfigurationException kubernetes) {
        return new FailureAnalysis("Leader election cannot use the Kubernetes configuration: "
            + kubernetes.getMessage() + ".", Character.toUpperCase(kubernetes.fix().charAt(0))
            + kubernetes.fix().substring(1) + ".", kubernetes);
      }
      if (cause instanceof InvalidLeaderElectionPropertyException invalid) {
        return analysis(invalid.getMessage(), invalid.property(), invalid.fix(), invalid);
      }
      if (cause instanceof BindException bind && bind.getName().toString()
          .startsWith(ElectionSettingsResolver.PREFIX + ".")) {
        return unconvertible(bind);
      }
    }
    return null;
  }

  private static FailureAnalysis unconvertible(BindException bind) {
    String property = bind.getName().toString();
    ConfigurationProperty bound = bind.getProperty();
    String value = bound == null ? "not set" : "'" + bound.getValue() + "'";
    Class<?> type = bind.getTarget().getType().resolve(Object.class);
    String rule;
    String fix;
    if (type.isEnum()) {
      String allowed = Arrays.stream(type.getEnumConstants())
          .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
          .collect(Collectors.joining(", "));
      rule = "must be one of " + allowed;
      fix = "use one of " + allowed;
    } else if (type == Duration.class) {
      rule = "must be a duration";
      fix = "write it as 15s, 500ms or PT15S";
    } else if (type == int.class || type == Integer.class) {
      int min = property.endsWith(".lock-call-threads") ? 1 : 0;
      rule = "must be a whole number from " + min + " to " + Integer.MAX_VALUE;
      fix = "use a whole number in that range";
    } else if (type == boolean.class || type == Boolean.class) {
      rule = "must be true or false";
      fix = "use true or false";
    } else {
      rule = "must be a " + type.getSimpleName();
      fix = "use a valid " + type.getSimpleName();
    }
    return analysis(property + " is " + value + " but " + rule, property, fix, bind);
  }

  private static FailureAnalysis analysis(String problem, String property, String fix,
      Throwable cause) {
    String action = property.startsWith(ElectionSettingsResolver.PREFIX)
        ? "Update '" + property + "' in your application configuration: " + fix + "."
        : Character.toUpperCase(fix.charAt(0)) + fix.substring(1) + ".";
    return new FailureAnalysis("Leader election is misconfigured: " + problem + ".", action,
        cause);
  }
}
