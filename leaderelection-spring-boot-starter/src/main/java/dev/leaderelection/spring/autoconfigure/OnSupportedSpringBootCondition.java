package dev.leaderelection.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Stops startup with a clear message when the application runs a Spring Boot older than the
 * starter supports, instead of a {@code NoSuchMethodError} somewhere later. Matches otherwise,
 * and also when the version is unknown (classes not loaded from Boot's jar, e.g. in an IDE).
 */
final class OnSupportedSpringBootCondition extends SpringBootCondition {

  static final int REQUIRED_MAJOR = 4;

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context,
      AnnotatedTypeMetadata metadata) {
    String version = SpringBootVersion.getVersion();
    check(version);
    return ConditionOutcome.match("Spring Boot " + (version == null ? "(version unknown)"
        : version) + " is supported");
  }

  /** @throws IllegalStateException naming the required and the found version when too old */
  static void check(@Nullable String version) {
    if (version == null || version.isBlank()) {
      return;
    }
    int major;
    try {
      major = Integer.parseInt(version.split("\\.", 2)[0].trim());
    } catch (NumberFormatException e) {
      return;
    }
    if (major < REQUIRED_MAJOR) {
      throw new IllegalStateException("leaderelection-spring-boot-starter needs Spring Boot "
          + REQUIRED_MAJOR + ".0 or later, but this application runs Spring Boot " + version
          + ". Upgrade to Spring Boot " + REQUIRED_MAJOR + ".0 or later, or use "
          + "leaderelection-core without the starter (see docs/spring-boot.md, "
          + "\"Spring Boot versions\").");
    }
  }
}
