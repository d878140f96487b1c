package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.internal.Endpoints;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.Environment;

/**
 * One election's effective properties: the top level's for the default election; for a named
 * one, bound in the same shape from {@code leader-election.elections.<name>} with the top level's
 * values for what it leaves unset ({@link InheritingPropertySource}). Knows the property each
 * value came from, so every error names the property the user set (or, for a default, the
 * top-level one that would change it).
 *
 * @param name the election's name
 * @param values the values, of which only the election settings apply to a named election
 * @param prefix the election's own prefix: {@code leader-election} or
 *     {@code leader-election.elections.<name>}
 * @param sources each bound property, by its name under the election's prefix, to the name of the
 *     property that gave its value
 */
record ElectionProperties(String name, LeaderElectionProperties values, String prefix,
    Map<String, String> sources) {

  /** Whether a named election never inherits {@code relativeName}: it is its own object's. */
  static boolean isNotInherited(String relativeName) {
    return switch (relativeName) {
      case "lease-name", "kubernetes.migration.name" -> true;
      default -> false;
    };
  }

  /**
   * Whether the property under {@code firstElement} is a setting of the whole process, which a
   * named election cannot set for itself.
   */
  static boolean isProcessWide(String firstElement) {
    return switch (firstElement) {
      case "enabled", "identity", "elections", "groups", "lock-call-threads", "health",
          "wait-for-readiness", "etcd" -> true;
      default -> false;
    };
  }

  /**
   * Whether a sharded group never takes {@code relativeName} from the top level, nor may set it:
   * the settings of one election (its lock's name, preemption, migration, coordination) that a
   * group's shards, named from the group and balanced by it, do not have; and
   * {@code release-on-shutdown}: a group always releases its shards when it closes.
   */
  static boolean isNotForGroups(String relativeName) {
    return isNotInherited(relativeName) || relativeName.equals("priority")
        || relativeName.equals("release-on-shutdown")
        || relativeName.startsWith("kubernetes.migration.")
        || relativeName.startsWith("kubernetes.coordinated.");
  }

  /**
   * Binds the properties of the sharded group {@code group} as a named election's are bound
   * (the same inheritance), from {@code leader-election.groups.<group>}; its {@code shards} is
   * bound by the caller.
   *
   * @throws InvalidLeaderElectionPropertyException when the group sets a process-wide property
   *     or one of an election's own
   */
  static ElectionProperties bindGroup(String group, Environment environment) {
    return bind(group, ElectionSettingsResolver.PREFIX + ".groups." + group,
        ElectionProperties::isNotForGroups, ElectionProperties::isNotForGroups, environment);
  }

  /**
   * Binds the properties of {@code election}.
   *
   * @param topLevel the top level's values, as Spring Boot bound them
   * @throws InvalidLeaderElectionPropertyException when a named election sets a process-wide
   *     property
   */
  static ElectionProperties bind(String election, LeaderElectionProperties topLevel,
      Environment environment) {
    String top = ElectionSettingsResolver.PREFIX;
    if (LeaderElectionProperties.DEFAULT_ELECTION.equals(election)) {
      return new ElectionProperties(election, topLevel, top, Map.of());
    }
    return bind(election, top + ".elections." + election, ElectionProperties::isNotInherited,
        relative -> false, environment);
  }

  /** @param notOwn the names it may not set itself, beside the process-wide ones */
  private static ElectionProperties bind(String election, String prefix,
      Predicate<String> notInherited, Predicate<String> notOwn, Environment environment) {
    String top = ElectionSettingsResolver.PREFIX;
    InheritingPropertySource source = new InheritingPropertySource(
        ConfigurationPropertySources.get(environment), ConfigurationPropertyName.of(prefix),
        ConfigurationPropertyName.of(top), notInherited);
    SourceRecorder recorder = new SourceRecorder(prefix, notOwn);
    Binder binder = new Binder(List.<ConfigurationPropertySource>of(source),
        new PropertySourcesPlaceholdersResolver(environment),
        ApplicationConversionService.getSharedInstance());
    LeaderElectionProperties values = binder.bindOrCreate(prefix,
        Bindable.of(LeaderElectionProperties.class), recorder);
    recorder.rejectOwnProcessWideProperties();
    return new ElectionProperties(election, values, prefix, Map.copyOf(recorder.sources));
  }

  /**
   * The property that gave the value of {@code relativeName} (such as {@code lease-duration}):
   * the election's own, the top-level one it inherited, or, for a default, the top-level one.
   */
  String source(String relativeName) {
    String source = sources.get(relativeName);
    if (source != null) {
      return source;
    }
    return isNotInherited(relativeName) ? prefix + "." + relativeName
        : ElectionSettingsResolver.PREFIX + "." + relativeName;
  }

  /** Whether the election sets {@code relativeName} itself, rather than inheriting it. */
  boolean isOwn(String relativeName) {
    return source(relativeName).startsWith(prefix + ".")
        && (isDefault() || sources.containsKey(relativeName));
  }

  boolean isDefault() {
    return LeaderElectionProperties.DEFAULT_ELECTION.equals(name);
  }

  /** Notes, for each value bound, the name of the property it came from. */
  private static final class SourceRecorder extends AbstractBindHandler {

    private final String prefix;
    private final Predicate<String> notOwn;
    private final Map<String, String> sources = new HashMap<>();
    private final Map<String, String> ownValues = new HashMap<>();

    SourceRecorder(String prefix, Predicate<String> notOwn) {
      this.prefix = prefix;
      this.notOwn = notOwn;
    }

    @Override
    public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target,
        BindContext context, @Nullable Object result) {
      ConfigurationProperty property = context.getConfigurationProperty();
      if (property != null && property.getName().getLastElement(
          ConfigurationPropertyName.Form.UNIFORM).equals(
              name.getLastElement(ConfigurationPropertyName.Form.UNIFORM))
          && name.toString().startsWith(prefix + ".")) {
        String relative = name.toString().substring(prefix.length() + 1);
        sources.put(relative, property.getName().toString());
        if (property.getName().toString().startsWith(prefix + ".")) {
          ownValues.put(relative, relative.contains("password") ? "(hidden)"
              : relative.contains("endpoints")
                  ? Endpoints.withoutUserInfo(String.valueOf(property.getValue()))
                  : String.valueOf(property.getValue()));
        }
      }
      return result;
    }

    void rejectOwnProcessWideProperties() {
      ownValues.forEach((relative, value) -> {
        if (isProcessWide(relative.split("\\.", 2)[0])) {
          throw new InvalidLeaderElectionPropertyException(prefix + "." + relative, value,
              "is a setting of the whole process, which one election cannot change", "set "
                  + ElectionSettingsResolver.PREFIX + "." + relative + " instead, or remove it");
        }
        if (notOwn.test(relative)) {
          throw new InvalidLeaderElectionPropertyException(prefix + "." + relative, value,
              "is a setting of one election, which a sharded group does not have: its shards' "
                  + "locks are named <group>-<shard>, and balancing, not preemption, moves them",
              "remove it; a group takes shards, lease-duration, renew-deadline, retry-period, "
                  + "lock and kubernetes.namespace");
        }
      });
    }
  }
}
