package dev.leaderelection.spring.autoconfigure;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The rules of the names of named elections and of groups, checked on the names as the
 * configuration writes them: lower-case letters, digits and '-' (Spring Boot's relaxed binding
 * reads {@code a_b}, {@code aB} and {@code a-b} as one election or group, and an environment
 * variable can only give the lower-case form, so only the canonical form is accepted); and no
 * election named {@code default}, the name of the top-level election.
 */
final class ElectionNames {

  private static final ConfigurationPropertyName ELECTIONS =
      ConfigurationPropertyName.of(ElectionSettingsResolver.PREFIX + ".elections");
  private static final ConfigurationPropertyName GROUPS =
      ConfigurationPropertyName.of(ElectionSettingsResolver.PREFIX + ".groups");
  private static final Pattern RAW_NAME = Pattern.compile(
      "^[^.\\[]+\\.(elections|groups)(?:\\.([^.\\[]+)|\\[([^\\]]+)])");
  private static final Pattern CANONICAL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private ElectionNames() {
  }

  /**
   * Checks the names of elections and groups as every property source writes them.
   *
   * @param named the names of the elections under {@code leader-election.elections}, as bound
   * @throws InvalidLeaderElectionPropertyException when a name breaks a rule
   */
  static void check(Set<String> named, Environment environment) {
    if (named.contains(LeaderElectionProperties.DEFAULT_ELECTION)) {
      throw InvalidLeaderElectionPropertyException.named(ELECTIONS + ".default",
          "is reserved: 'default' is the name of the election configured at the top level",
          "configure the default election at the top level (" + ElectionSettingsResolver.PREFIX
              + ".lease-name and the settings beside it), or give this election another name");
    }
    if (!(environment instanceof ConfigurableEnvironment configurable)) {
      return;
    }
    for (PropertySource<?> source : configurable.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String property : enumerable.getPropertyNames()) {
          checkWritten(property);
        }
      }
    }
  }

  private static void checkWritten(String property) {
    String lowerCase = property.toLowerCase(Locale.ROOT);
    if (!lowerCase.contains("elections") && !lowerCase.contains("groups")) {
      return; // most names of most sources: not worth adapting
    }
    ConfigurationPropertyName adapted = ConfigurationPropertyName.adapt(property, '.');
    Matcher raw = RAW_NAME.matcher(property);
    if (!(ELECTIONS.isAncestorOf(adapted) || GROUPS.isAncestorOf(adapted)) || !raw.find()) {
      return;
    }
    String kind = raw.group(1).equals("groups") ? "group" : "election";
    String name = raw.group(2) != null ? raw.group(2) : raw.group(3);
    if (!CANONICAL.matcher(name).matches()) {
      throw InvalidLeaderElectionPropertyException.named(property, "names the " + kind + " '"
          + name + "', but " + (kind.equals("group") ? "a group" : "an election")
          + "'s name must be lower-case letters, digits and '-' (Spring Boot reads a_b, aB "
          + "and a-b as one " + kind + ")",
          "write the name as '" + canonical(name) + "' wherever it appears");
    }
  }

  /** The canonical form of a name: lower case, every other run of characters one '-'. */
  static String canonical(String name) {
    String kebab = name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase()
        .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return kebab.isEmpty() ? "my-election" : kebab;
  }
}
