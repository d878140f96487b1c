package dev.leaderelection.spring.autoconfigure;

import static dev.leaderelection.internal.Durations.format;

import dev.leaderelection.InvalidTimingsException.Rule;
import dev.leaderelection.InvalidTimingsException;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.kubernetes.KubernetesNames;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.Kubernetes;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.MigrateFrom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * Turns each election's {@link ElectionProperties} into validated {@link ElectionSettings}, once
 * per election: the namespace falls back to the pod's, coordinated elections are checked by a
 * {@link CoordinationResolver}, and every broken rule becomes an
 * {@link InvalidLeaderElectionPropertyException} naming the property the value came from. This
 * process's identity is made once, so every election of the process uses it. Thread-safe.
 */
final class ElectionSettingsResolver {

  static final String PREFIX = "leader-election";
  static final Path SERVICE_ACCOUNT_NAMESPACE =
      KubernetesConfiguration.SERVICE_ACCOUNT.resolve("namespace");

  /** Below this, renewals alone would flood the API server (2ms meant 360 writes a second). */
  static final Duration MIN_RETRY_PERIOD = Duration.ofMillis(100);

  /**
   * The longest of every duration property: a day, checked before anything computes with a
   * value (a longer lease leaves an election without a leader for longer after a crash).
   */
  static final Duration MAX_DURATION = Duration.ofDays(1);

  private final LeaderElectionProperties properties;
  private final Environment environment;
  private final LeaderElections elections;
  private final CoordinationResolver coordination;
  private final Map<String, ElectionSettings> resolved = new ConcurrentHashMap<>();
  private final Map<String, GroupSettings> resolvedGroups = new ConcurrentHashMap<>();

  /**
   * @param buildVersion the application's version from build-info, or null
   * @throws InvalidLeaderElectionPropertyException when the identity property is not valid
   */
  ElectionSettingsResolver(LeaderElectionProperties properties, Environment environment,
      LeaderElections elections, @Nullable String buildVersion) {
    this.properties = properties;
    this.environment = environment;
    this.elections = elections;
    this.coordination = new CoordinationResolver(
        IdentityGenerator.identity(properties, environment), buildVersion);
  }

  /** Every configured election, the default one first. */
  List<ElectionSettings> resolveAll() {
    elections.requireAny();
    ElectionNames.check(properties.elections().keySet(), environment);
    List<ElectionSettings> all = new ArrayList<>();
    if (elections.isConfigured(LeaderElectionProperties.DEFAULT_ELECTION)) {
      all.add(resolve(LeaderElectionProperties.DEFAULT_ELECTION));
    }
    elections.names().stream()
        .filter(name -> !LeaderElectionProperties.DEFAULT_ELECTION.equals(name))
        .forEach(name -> all.add(resolve(name)));
    elections.groups().forEach(this::resolveGroup);
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

  /**
   * The settings of a configured election, resolved on first use.
   *
   * @throws IllegalArgumentException when no such election is configured
   * @throws InvalidLeaderElectionPropertyException when a property breaks a rule
   */
  ElectionSettings resolve(String name) {
    if (!elections.isConfigured(name) && elections.groups().contains(name)) {
      return resolveGroup(name).settings();
    }
    ElectionSettings settings = resolved.get(name);
    if (settings == null) {
      settings = resolveOnce(name);
      resolved.putIfAbsent(name, settings);
    }
    return settings;
  }

  private ElectionSettings resolveOnce(String name) {
    if (!elections.isConfigured(name)) {
      throw new IllegalArgumentException("No election named '" + name + "'");
    }
    ElectionProperties bound = ElectionProperties.bind(name, properties, environment);
    LeaderElectionProperties values = bound.values();
    String leaseName = bound.isDefault() ? values.leaseName()
        : Objects.requireNonNullElse(values.leaseName(), name);
    checkName(bound.source("lease-name"), leaseName, KubernetesNames.objectNameRule(leaseName),
        "use a valid Kubernetes name such as 'my-app'");
    Kubernetes kubernetes = values.kubernetes();
    String namespace = namespace(bound);
    if (values.priority() < 0) {
      throw new InvalidLeaderElectionPropertyException(bound.source("priority"),
          Integer.toString(values.priority()), "must be 0 or more",
          "use 0 (no preemption) or a positive priority");
    }
    String lock = values.lock().strip().toLowerCase(Locale.ROOT);
    MigrateFrom migrateFrom = kubernetes.migration().from();
    if (migrateFrom == null && kubernetes.migration().name() != null) {
      throw new InvalidLeaderElectionPropertyException(bound.source("kubernetes.migration.name"),
          kubernetes.migration().name(), "has no effect without kubernetes.migration.from: the "
              + "election would be held on its Lease alone, not on the old object too",
          "set kubernetes.migration.from (configmap or endpoints) beside it, or remove it");
    }
    String migrateFromName = Objects.requireNonNullElse(kubernetes.migration().name(),
        leaseName);
    checkName(bound.source("kubernetes.migration.name"), migrateFromName,
        KubernetesNames.objectNameRule(migrateFromName), "use the old object's name");
    Coordination coordinated = coordination.resolve(bound, lock);
    return new ElectionSettings(name, leaseName, namespace, timings(bound),
        values.releaseOnShutdown(), lock, values.priority(), kubernetes.events().enabled(),
        migrateFrom, migrateFromName, coordination.identity(name, coordinated), coordinated,
        bound);
  }

  /** The namespace of an election or group: its property, else the pod's; checked. */
  private String namespace(ElectionProperties bound) {
    Kubernetes kubernetes = bound.values().kubernetes();
    String namespaceSource = kubernetes.namespace() != null
        ? bound.source("kubernetes.namespace") : podNamespaceSource();
    String namespace = kubernetes.namespace() != null ? kubernetes.namespace() : podNamespace();
    checkName(namespaceSource, namespace, KubernetesNames.namespaceRule(namespace),
        namespaceSource.startsWith(PREFIX) ? "use an existing namespace"
            : "fix " + namespaceSource + ", or set " + PREFIX + ".kubernetes.namespace, which "
                + "wins over it");
    return namespace;
  }

  /**
   * The settings of a configured sharded group, resolved on first use: bound and inherited as a
   * named election's are ({@link ElectionProperties#bindGroup}).
   *
   * @throws IllegalArgumentException when no such group is configured
   * @throws InvalidLeaderElectionPropertyException when a property breaks a rule
   */
  GroupSettings resolveGroup(String name) {
    GroupSettings settings = resolvedGroups.get(name);
    if (settings == null) {
      settings = resolveGroupOnce(name);
      resolvedGroups.putIfAbsent(name, settings);
    }
    return settings;
  }

  private GroupSettings resolveGroupOnce(String name) {
    if (!elections.groups().contains(name)) {
      throw new IllegalArgumentException("No group named '" + name + "'");
    }
    ElectionProperties bound = ElectionProperties.bindGroup(name, environment);
    if (elections.isConfigured(name)) {
      throw InvalidLeaderElectionPropertyException.named(bound.prefix(), "names a group, and "
          + "an election of this application has that name too, so events, health and the "
          + "endpoint could not tell them apart", "give the group or the election another name");
    }
    int shards = GroupSettings.shards(bound, environment);
    String lastLock = GroupSettings.lockName(name, shards - 1);
    KubernetesNames.objectNameRule(lastLock).ifPresent(rule -> {
      throw InvalidLeaderElectionPropertyException.named(bound.prefix(), "names the group '"
          + name + "', whose shards' locks are named like '" + lastLock + "', but " + rule,
          "name the group with lower-case letters, digits and '-', such as 'tenants'");
    });
    LeaderElectionProperties values = bound.values();
    ElectionSettings settings = new ElectionSettings(name, name, namespace(bound),
        timings(bound), values.releaseOnShutdown(),
        values.lock().strip().toLowerCase(Locale.ROOT), 0,
        values.kubernetes().events().enabled(), null, name,
        coordination.identity(name, null), null, bound);
    return new GroupSettings(name, shards, settings);
  }

  private static LeaseTimings timings(ElectionProperties bound) {
    LeaderElectionProperties values = bound.values();
    requireAtMostADay(bound.source("lease-duration"), values.leaseDuration());
    requireAtMostADay(bound.source("renew-deadline"), values.renewDeadline());
    requireAtMostADay(bound.source("retry-period"), values.retryPeriod());
    Duration retryPeriod = values.retryPeriod();
    if (retryPeriod.compareTo(MIN_RETRY_PERIOD) < 0 && retryPeriod.toNanos() > 0) {
      throw new InvalidLeaderElectionPropertyException(bound.source("retry-period"),
          format(retryPeriod), "must be at least " + format(MIN_RETRY_PERIOD) + ": every leader "
              + "writes its lease once a retry period, and a shorter one floods the API server",
          "write the unit: 2s or 500ms (a bare number means seconds); the default is 2s");
    }
    try {
      return LeaseTimings.of(values.leaseDuration(), values.renewDeadline(), retryPeriod);
    } catch (InvalidTimingsException e) {
      throw invalidTimings(e, bound);
    }
  }

  /**
   * Names the property the user got wrong: a named election that sets one side of a broken rule
   * and inherits the other is told about its own property, not the inherited one.
   */
  private static InvalidLeaderElectionPropertyException invalidTimings(InvalidTimingsException e,
      ElectionProperties bound) {
    String fix = "keep lease-duration > renew-deadline > 1.2 × retry-period > 0, with "
        + "lease-duration in whole seconds; the defaults are 15s, 10s and 2s";
    String field = propertyName(e.field());
    String compared = e.rule().comparedField() == null ? null
        : propertyName(e.rule().comparedField());
    if (compared != null && !bound.isOwn(field) && bound.isOwn(compared)) {
      Duration inherited = timing(bound.values(), field);
      String limit = e.rule() == Rule.NOT_ABOVE_JITTERED_RETRY_PERIOD
          ? field + " / 1.2" : field;
      return new InvalidLeaderElectionPropertyException(bound.source(compared),
          format(timing(bound.values(), compared)), "must be less than " + limit + " ("
              + format(inherited) + ", inherited from " + bound.source(field) + ")", fix);
    }
    String rule = e.rule().describe(e.bound(), ElectionSettingsResolver::propertyName);
    return new InvalidLeaderElectionPropertyException(bound.source(field),
        e.value() == null ? null : format(e.value()), rule, fix);
  }

  /** @throws InvalidLeaderElectionPropertyException when {@code value} exceeds a day */
  static void requireAtMostADay(String property, Duration value) {
    if (value.compareTo(MAX_DURATION) > 0) {
      throw new InvalidLeaderElectionPropertyException(property, format(value),
          "must be at most " + format(MAX_DURATION) + " (one day)",
          "write the unit: 15s, 500ms or 2m (a bare number means seconds)");
    }
  }

  private static Duration timing(LeaderElectionProperties values, String property) {
    return switch (property) {
      case "lease-duration" -> values.leaseDuration();
      case "renew-deadline" -> values.renewDeadline();
      default -> values.retryPeriod();
    };
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
