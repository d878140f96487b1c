package dev.leaderelection.spring.autoconfigure;

import static dev.leaderelection.spring.autoconfigure.ElectionSettingsResolver.PREFIX;

import dev.leaderelection.internal.Identities;
import dev.leaderelection.kubernetes.KubernetesNames;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.Coordinated;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.MigrateFrom;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The coordinated-election settings of each election ({@code kubernetes.coordinated.*}, inherited
 * as the others are) and the rules that bind them: a Lease lock, no
 * priority, no migration, a binary version from the property or else from build-info. Also
 * gives each election its identity: the process's, except in a coordinated election, where it
 * names a LeaseCandidate: the identity as a Kubernetes name, followed by "-" and the election's
 * name in a named election, so no two elections of a process share a LeaseCandidate.
 */
final class CoordinationResolver {

  private final ProcessIdentity identity;
  private final @Nullable String buildVersion;

  /** @param buildVersion the application's version from build-info, or null */
  CoordinationResolver(ProcessIdentity identity, @Nullable String buildVersion) {
    this.identity = identity;
    this.buildVersion = buildVersion;
  }

  /**
   * The coordination of an election, or null when it is not coordinated.
   *
   * @param lock the election's backend, as configured
   * @throws InvalidLeaderElectionPropertyException when a rule is broken
   */
  @Nullable Coordination resolve(ElectionProperties bound, String lock) {
    LeaderElectionProperties values = bound.values();
    Coordinated coordinated = values.kubernetes().coordinated();
    if (!coordinated.enabled()) {
      return null;
    }
    String coordinatedProperty = bound.source("kubernetes.coordinated.enabled");
    if (!"lease".equals(lock) && !"auto".equals(lock)) {
      throw new InvalidLeaderElectionPropertyException(coordinatedProperty, "true",
          "needs a Lease lock, and " + bound.source("lock") + " is '" + lock + "'",
          "use lock=lease (or auto, with a Kubernetes API), or remove " + coordinatedProperty);
    }
    if (values.priority() != 0) {
      throw new InvalidLeaderElectionPropertyException(bound.source("priority"),
          Integer.toString(values.priority()), "does not apply with " + coordinatedProperty
              + "=true: the API server chooses the leader",
          "remove the priority, or remove " + coordinatedProperty + " to elect by priority");
    }
    MigrateFrom migrateFrom = values.kubernetes().migration().from();
    if (migrateFrom != null) {
      throw new InvalidLeaderElectionPropertyException(
          bound.source("kubernetes.migration.from"), migrateFrom.name().toLowerCase(Locale.ROOT),
          "cannot be combined with " + coordinatedProperty + "=true: a coordinated election "
              + "never writes the old lock", "finish the migration first (remove "
              + "kubernetes.migration.from once no old instance is left), then turn "
              + coordinatedProperty + " on");
    }
    String binaryProperty = bound.source("kubernetes.coordinated.binary-version");
    String binary = isSet(coordinated.binaryVersion()) ? coordinated.binaryVersion()
        : isSet(buildVersion) ? buildVersion : null;
    if (binary == null) {
      throw new InvalidLeaderElectionPropertyException(binaryProperty, null, "must be set for a "
          + "coordinated election (" + coordinatedProperty + "=true), and no build-info gives "
          + "the application's version", "set it to this build's version, such as 1.4.2, or "
          + "generate build-info with the spring-boot-maven-plugin goal build-info (Spring Boot "
          + "then defines a BuildProperties bean whose version is used)");
    }
    String emulation = isSet(coordinated.emulationVersion()) ? coordinated.emulationVersion()
        : binary;
    return new Coordination(binary, emulation, coordinated.fallback(), coordinatedProperty,
        binaryProperty, bound.source("kubernetes.coordinated.emulation-version"),
        bound.source("kubernetes.coordinated.fallback"));
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
}
