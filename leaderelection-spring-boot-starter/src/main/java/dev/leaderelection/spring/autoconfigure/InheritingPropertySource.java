package dev.leaderelection.spring.autoconfigure;

import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;

/**
 * The properties of one named election: its own ({@code leader-election.elections.<name>.x}),
 * else the top level's ({@code leader-election.x}), except for the names that are each
 * election's own. This is where a named election inherits, once for every property; the property
 * found keeps its real name, so messages name the property the user set.
 */
final class InheritingPropertySource implements ConfigurationPropertySource {

  private final Iterable<ConfigurationPropertySource> sources;
  private final ConfigurationPropertyName election;
  private final ConfigurationPropertyName topLevel;
  private final Predicate<String> notInherited;

  /**
   * @param notInherited tells the names, relative to the election (such as {@code lease-name}),
   *     that it never takes from the top level
   */
  InheritingPropertySource(Iterable<ConfigurationPropertySource> sources,
      ConfigurationPropertyName election, ConfigurationPropertyName topLevel,
      Predicate<String> notInherited) {
    this.sources = sources;
    this.election = election;
    this.topLevel = topLevel;
    this.notInherited = notInherited;
  }

  @Override
  public @Nullable ConfigurationProperty getConfigurationProperty(ConfigurationPropertyName name) {
    if (name.equals(election)) {
      return null; // "reports:" with no values: an election of top-level values, not a value
    }
    ConfigurationProperty own = find(name);
    if (own != null || !election.isAncestorOf(name)) {
      return own;
    }
    ConfigurationPropertyName relative = name.subName(election.getNumberOfElements());
    return notInherited.test(relative.toString()) ? null : find(topLevel.append(relative));
  }

  @Override
  public ConfigurationPropertyState containsDescendantOf(ConfigurationPropertyName name) {
    ConfigurationPropertyState own = state(name);
    if (own == ConfigurationPropertyState.PRESENT
        || !(election.equals(name) || election.isAncestorOf(name))) {
      return own;
    }
    ConfigurationPropertyState inherited =
        state(topLevel.append(name.subName(election.getNumberOfElements())));
    return inherited == ConfigurationPropertyState.ABSENT ? own : inherited;
  }

  private @Nullable ConfigurationProperty find(ConfigurationPropertyName name) {
    for (ConfigurationPropertySource source : sources) {
      ConfigurationProperty property = source.getConfigurationProperty(name);
      if (property != null) {
        return property;
      }
    }
    return null;
  }

  private ConfigurationPropertyState state(ConfigurationPropertyName name) {
    ConfigurationPropertyState result = ConfigurationPropertyState.ABSENT;
    for (ConfigurationPropertySource source : sources) {
      ConfigurationPropertyState state = source.containsDescendantOf(name);
      if (state == ConfigurationPropertyState.PRESENT) {
        return state;
      }
      if (state == ConfigurationPropertyState.UNKNOWN) {
        result = state;
      }
    }
    return result;
  }
}
