package dev.leaderelection.spring.autoconfigure;

import static dev.leaderelection.spring.autoconfigure.ElectionSettingsResolver.PREFIX;
import static dev.leaderelection.spring.autoconfigure.ElectionSettingsResolver.property;

import dev.leaderelection.internal.Identities;
import dev.leaderelection.kubernetes.KubernetesNames;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.Election;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.LockType;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.MigrateFrom;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The coordinated-election settings of each election ({@code coordinated} and the properties
 * that go with it, inherited as the others are) and the rules that bind them: a Lease lock, no
 * priority, no migration, a binary version from the property or else from build-info. Also
 * gives each election its identity: the process's, except in a coordinated election, where it
 * names a LeaseCandidate: the identity as a Kubernetes name, followed by "-" and the election's
 * name in a named election, so no two elections of a process share a LeaseCandidate.
 */
final class CoordinationResolver {

  private final LeaderElectionProperties properties;
  private final ProcessIdentity identity;
  private final @Nullable String buildVersion;

  /** @param buildVersion the application's version from build-info, or null */
  CoordinationResolver(LeaderElectionProperties properties, ProcessIdentity identity,
      @Nullable String buildVersion) {
    this.properties = properties;
    this.identity = identity;
    this.buildVersion = buildVersion;
  }

  /**
   * The coordination of an election, or null when it is not coordinated.
   *
   * @throws InvalidLeaderElectionPropertyException when a rule is broken
   */
  @Nullable Coordination resolve(@Nullable Election own, String prefix, int priority,
      LockType lock, @Nullable MigrateFrom migrateFrom) {
    boolean coordinated = own != null && own.coordinated() != null ? own.coordinated()
        : properties.coordinated();
    if (!coordinated) {
      return null;
    }
    String coordinatedProperty = property(own, prefix, "coordinated",
        own(own, Election::coordinated));
    if (lock != LockType.LEASE && lock != LockType.AUTO) {
      throw new InvalidLeaderElectionPropertyException(coordinatedProperty, "true",
          "needs a Lease lock, and " + property(own, prefix, "lock", own(own, Election::lock))
              + " is '" + lock.name().toLowerCase(Locale.ROOT).replace('_', '-') + "'",
          "use lock=lease (or auto, with a Kubernetes API), or remove " + coordinatedProperty);
    }
    if (priority != 0) {
      throw new InvalidLeaderElectionPropertyException(
          property(own, prefix, "priority", own(own, Election::priority)),
          Integer.toString(priority), "does not apply with " + coordinatedProperty
              + "=true: the API server chooses the leader",
          "remove the priority, or remove " + coordinatedProperty + " to elect by priority");
    }
    if (migrateFrom != null) {
      throw new InvalidLeaderElectionPropertyException(
          property(own, prefix, "migrate-from", own(own, Election::migrateFrom)),
          migrateFrom.name().toLowerCase(Locale.ROOT), "cannot be combined with "
              + coordinatedProperty + "=true: a coordinated election never writes the old lock",
          "finish the migration first (remove migrate-from once no old instance is left), then "
              + "turn " + coordinatedProperty + " on");
    }
    return coordination(own, prefix, coordinatedProperty);
  }

  private Coordination coordination(@Nullable Election own, String prefix,
      String coordinatedProperty) {
    String binaryProperty = property(own, prefix, "binary-version",
        own(own, Election::binaryVersion));
    String binary = own != null && isSet(own.binaryVersion()) ? own.binaryVersion()
        : isSet(properties.binaryVersion()) ? properties.binaryVersion()
        : isSet(buildVersion) ? buildVersion : null;
    if (binary == null) {
      throw new InvalidLeaderElectionPropertyException(binaryProperty, null, "must be set for a "
          + "coordinated election (" + coordinatedProperty + "=true), and no build-info gives "
          + "the application's version", "set it to this build's version, such as 1.4.2, or "
          + "generate build-info with the spring-boot-maven-plugin goal build-info (Spring Boot "
          + "then defines a BuildProperties bean whose version is used)");
    }
    String emulation = own != null && isSet(own.emulationVersion()) ? own.emulationVersion()
        : isSet(properties.emulationVersion()) ? properties.emulationVersion() : binary;
    boolean fallback = own != null && own.coordinatedFallback() != null
        ? own.coordinatedFallback() : properties.coordinatedFallback();
    return new Coordination(binary, emulation, fallback, coordinatedProperty, binaryProperty,
        property(own, prefix, "emulation-version", own(own, Election::emulationVersion)),
        property(own, prefix, "coordinated-fallback",
            own(own, Election::coordinatedFallback)));
  }

  /**
   * The identity of {@code election}: the process's, or with {@code coordination} the name of
   * its LeaseCandidate.
   *
   * @throws InvalidLeaderElectionPropertyException when that is not a valid Kubernetes name
   */
  String identity(String election, @Nullable Coordination coordination) {
    if (coordination == null) {
      return identity.plain();
    }
    boolean isDefault = LeaderElectionProperties.DEFAULT_ELECTION.equals(election);
    String name = isDefault ? identity.objectName()
        : identity.objectName() + "-" + election.toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9.-]", "-");
    KubernetesNames.objectNameRule(name).ifPresent(rule -> {
      String names = isDefault ? "names this instance's LeaseCandidate" : "gives the "
          + "LeaseCandidate of coordinated election '" + election + "' the name '"
          + Identities.printable(name) + "'";
      if (identity.configured()) {
        throw new InvalidLeaderElectionPropertyException(PREFIX + ".identity",
            Identities.printable(identity.plain()), names + ", so it " + rule,
            "use a valid Kubernetes name, such as ${POD_NAME}, or leave it unset for "
                + "<host name>-<8 random hex digits>");
      }
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".elections." + election,
          election, names + ", which " + rule, "use a short election name of lower-case letters, "
              + "digits and '-'");
    });
    return name;
  }

  /** Whether a version is given: an empty property means the default. */
  private static boolean isSet(@Nullable String version) {
    return version != null && !version.isBlank();
  }

  /** A value the election sets itself, or null when it inherits it. */
  private static <T> @Nullable T own(@Nullable Election own,
      Function<Election, @Nullable T> value) {
    return own == null ? null : value.apply(own);
  }
}
