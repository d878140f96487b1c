package dev.leaderelection.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when some property source may hold a property under {@code leader-election.groups}
 * (in any relaxed form, environment variables included), so an application without sharded
 * groups pays nothing for them at startup. Asks each source, as the binder does, without binding.
 */
final class OnShardGroupsCondition extends SpringBootCondition {

  private static final ConfigurationPropertyName GROUPS =
      ConfigurationPropertyName.of(ElectionSettingsResolver.PREFIX + ".groups");

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context,
      AnnotatedTypeMetadata metadata) {
    for (ConfigurationPropertySource source
        : ConfigurationPropertySources.get(context.getEnvironment())) {
      if (source.containsDescendantOf(GROUPS) != ConfigurationPropertyState.ABSENT) {
        return ConditionOutcome.match(GROUPS + " may be set in " + source.getUnderlyingSource());
      }
    }
    return ConditionOutcome.noMatch(GROUPS + " is not set");
  }
}
