package dev.leaderelection.spring.autoconfigure;

import static dev.leaderelection.internal.Durations.format;

import dev.leaderelection.InvalidTimingsException.Rule;
import dev.leaderelection.InvalidTimingsException;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.kubernetes.KubernetesNames;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.Election;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.LockType;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.MigrateFrom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * Turns {@link LeaderElectionProperties} into validated {@link ElectionSettings} for each of the
 * {@link LeaderElections}: named elections inherit unset values, the namespace falls back to the
 * pod's, coordinated elections are checked by a {@link CoordinationResolver}, and every broken
 * rule becomes an {@link InvalidLeaderElectionPropertyException} naming the property. This
 * process's identity is made once, so every election of the process uses it.
 */
final class ElectionSettingsResolver {

  static final String PREFIX = "leader-election";
  static final Path SERVICE_ACCOUNT_NAMESPACE =
      KubernetesConfiguration.SERVICE_ACCOUNT.resolve("namespace");

  /** Below this, renewals alone would flood the API server (2ms meant 360 writes a second). */
  static final Duration MIN_RETRY_PERIOD = Duration.ofMillis(100);

  private final LeaderElectionProperties properties;
  private final Environment environment;
  private final LeaderElections elections;
  private final CoordinationResolver coordination;

  /**
   * @param buildVersion the application's version from build-info, or null
   * @throws InvalidLeaderElectionPropertyException when the identity property is not valid
   */
  ElectionSettingsResolver(LeaderElectionProperties properties, Environment environment,
      LeaderElections elections, @Nullable String buildVersion) {
    this.properties = properties;
    this.environment = environment;
    this.elections = elections;
    this.coordination = new CoordinationResolver(properties,
        IdentityGenerator.identity(properties, environment), buildVersion);
  }

  /** Every configured election, the default one first. */
  List<ElectionSettings> resolveAll() {
    elections.requireAny();
    List<ElectionSettings> all = new ArrayList<>();
    if (elections.isConfigured(LeaderElectionProperties.DEFAULT_ELECTION)) {
      all.add(resolve(LeaderElectionProperties.DEFAULT_ELECTION));
    }
    elections.names().stream()
        .filter(name -> !LeaderElectionProperties.DEFAULT_ELECTION.equals(name))
        .forEach(name -> all.add(resolve(name)));
    return all;
  }

  /** No election at all is configured: the one message for it, whoever notices first. */
  static InvalidLeaderElectionPropertyException leaseNameNotSet() {
    return new InvalidLeaderElectionPropertyException(PREFIX + ".lease-name", null,
        "must be set to hold the default election",
        "set it to the name of the Lease to compete for, such as 'my-app', or configure "
            + "named elections under " + PREFIX + ".elections.<name>, or set "
            + PREFIX + ".enabled=false");
  }

  ElectionSettings resolve(String name) {
    boolean isDefault = LeaderElectionProperties.DEFAULT_ELECTION.equals(name);
    Election own = isDefault ? null : properties.elections().get(name);
    if (!isDefault && own == null) {
      throw new IllegalArgumentException("No election named '" + name + "'");
    }
    String prefix = isDefault ? PREFIX : PREFIX + ".elections." + name;
    String leaseName = isDefault ? properties.leaseName()
        : Objects.requireNonNullElse(own.leaseName(), name);
    checkName(prefix + ".lease-name", leaseName, KubernetesNames.objectNameRule(leaseName),
        "use a valid Kubernetes name such as 'my-app'");
    String namespaceSource = own != null && own.namespace() != null ? prefix + ".namespace"
        : properties.namespace() != null ? PREFIX + ".namespace" : podNamespaceSource();
    String namespace = own != null && own.namespace() != null ? own.namespace()
        : properties.namespace() != null ? properties.namespace() : podNamespace();
    checkName(namespaceSource, namespace, KubernetesNames.namespaceRule(namespace),
        namespaceSource.startsWith(PREFIX) ? "use an existing namespace"
            : "fix " + namespaceSource + ", or set " + PREFIX + ".namespace, which wins over it");
    int priority = own != null && own.priority() != null ? own.priority() : properties.priority();
    if (priority < 0) {
      throw new InvalidLeaderElectionPropertyException(property(own, prefix, "priority",
          own == null ? null : own.priority()), Integer.toString(priority), "must be 0 or more",
          "use 0 (no preemption) or a positive priority");
    }
    MigrateFrom migrateFrom = own != null && own.migrateFrom() != null ? own.migrateFrom()
        : properties.migrateFrom();
    String migrateFromName = own != null && own.migrateFromName() != null
        ? own.migrateFromName()
        : isDefault && properties.migrateFromName() != null ? properties.migrateFromName()
            : leaseName;
    checkName(property(own, prefix, "migrate-from-name",
            own == null ? null : own.migrateFromName()), migrateFromName,
        KubernetesNames.objectNameRule(migrateFromName), "use the old object's name");
    LockType lock = own != null && own.lock() != null ? own.lock() : properties.lock();
    Coordination coordinated = coordination.resolve(own, prefix, priority, lock, migrateFrom);
    return new ElectionSettings(name, leaseName, namespace, timings(own, prefix),
        own != null && own.releaseOnShutdown() != null ? own.releaseOnShutdown()
            : properties.releaseOnShutdown(),
        lock, priority, prefix, migrateFrom, migrateFromName,
        coordination.identity(name, coordinated), coordinated);
  }

  private LeaseTimings timings(@Nullable Election own, String prefix) {
    Duration leaseDuration = own != null && own.leaseDuration() != null ? own.leaseDuration()
        : this.properties.leaseDuration();
    Duration renewDeadline = own != null && own.renewDeadline() != null ? own.renewDeadline()
        : this.properties.renewDeadline();
    Duration retryPeriod = own != null && own.retryPeriod() != null ? own.retryPeriod()
        : this.properties.retryPeriod();
    String retryProperty = property(own, prefix, "retry-period",
        own == null ? null : own.retryPeriod());
    if (retryPeriod.compareTo(MIN_RETRY_PERIOD) < 0 && retryPeriod.toNanos() > 0) {
      throw new InvalidLeaderElectionPropertyException(retryProperty, format(retryPeriod),
          "must be at least " + format(MIN_RETRY_PERIOD) + ": every leader writes its lease "
              + "once a retry period, and a shorter one floods the API server",
          "write the unit: 2s or 500ms (a bare number means seconds); the default is 2s");
    }
    try {
      return LeaseTimings.of(leaseDuration, renewDeadline, retryPeriod);
    } catch (InvalidTimingsException e) {
      throw invalidTimings(e, own, prefix);
    }
  }

  /**
   * Names the property the user got wrong: a named election that sets one side of a broken rule
   * and inherits the other is told about its own property, not the inherited one.
   */
  private InvalidLeaderElectionPropertyException invalidTimings(InvalidTimingsException e,
      @Nullable Election own, String prefix) {
    String fix = "keep lease-duration > renew-deadline > 1.2 × retry-period > 0, with "
        + "lease-duration in whole seconds; the defaults are 15s, 10s and 2s";
    if (own != null && "leaseDuration".equals(e.field()) && own.leaseDuration() == null
        && own.renewDeadline() != null && e.rule() == Rule.NOT_ABOVE_RENEW_DEADLINE) {
      return new InvalidLeaderElectionPropertyException(prefix + ".renew-deadline",
          format(own.renewDeadline()), "must be less than lease-duration ("
              + format(properties.leaseDuration()) + ", inherited from " + PREFIX
              + ".lease-duration)", fix);
    }
    if (own != null && "renewDeadline".equals(e.field()) && own.renewDeadline() == null
        && own.retryPeriod() != null && e.rule() == Rule.NOT_ABOVE_JITTERED_RETRY_PERIOD) {
      return new InvalidLeaderElectionPropertyException(prefix + ".retry-period",
          format(own.retryPeriod()), "must be less than renew-deadline / 1.2 ("
              + format(properties.renewDeadline()) + " inherited from " + PREFIX
              + ".renew-deadline)", fix);
    }
    Map<String, String> sources = Map.of(
        "leaseDuration", property(own, prefix, "lease-duration",
            own == null ? null : own.leaseDuration()),
        "renewDeadline", property(own, prefix, "renew-deadline",
            own == null ? null : own.renewDeadline()),
        "retryPeriod", property(own, prefix, "retry-period",
            own == null ? null : own.retryPeriod()));
    String rule = e.rule().describe(e.bound(), ElectionSettingsResolver::propertyName);
    return new InvalidLeaderElectionPropertyException(sources.get(e.field()),
        e.value() == null ? null : format(e.value()), rule, fix);
  }

  /** The property name of a {@link LeaseTimings} field, as rules name it to users. */
  private static String propertyName(String field) {
    return switch (field) {
      case "leaseDuration" -> "lease-duration";
      case "renewDeadline" -> "renew-deadline";
      case "retryPeriod" -> "retry-period";
      default -> field;
    };
  }

  /** The property a value came from: the election's own, or the top-level one it inherited. */
  static String property(@Nullable Election own, String prefix, String name,
      @Nullable Object ownValue) {
    return own != null && ownValue != null ? prefix + "." + name : PREFIX + "." + name;
  }

  /** Where the pod's namespace comes from, for messages. */
  private String podNamespaceSource() {
    String fromEnvironment = environment.getProperty("POD_NAMESPACE");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return "the environment variable POD_NAMESPACE";
    }
    return "the service account's namespace file " + SERVICE_ACCOUNT_NAMESPACE;
  }

  private String podNamespace() {
    String fromEnvironment = environment.getProperty("POD_NAMESPACE");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment.trim();
    }
    try {
      if (Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
        return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
      }
    } catch (IOException e) {
      // fall back to the default namespace
    }
    return "default";
  }

  private static void checkName(String property, String value, Optional<String> brokenRule,
      String fix) {
    brokenRule.ifPresent(rule -> {
      throw new InvalidLeaderElectionPropertyException(property, value, rule, fix);
    });
  }
}
