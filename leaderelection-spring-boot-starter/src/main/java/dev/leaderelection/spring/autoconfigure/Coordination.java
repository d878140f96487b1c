package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.coordinated.CoordinatedElectionUnavailableException;

/**
 * How a coordinated election announces its LeaseCandidate, and the properties each value came
 * from (the election's own or the inherited top-level one), so that every problem with them is
 * an {@link InvalidLeaderElectionPropertyException} naming the property the user set.
 */
record Coordination(
    String binaryVersion,
    String emulationVersion,
    boolean fallback,
    String coordinatedProperty,
    String binaryVersionProperty,
    String emulationVersionProperty,
    String fallbackProperty) {

  /** The core refused a setting: its message, on the property the setting came from. */
  InvalidLeaderElectionPropertyException invalid(IllegalArgumentException refused,
      String identity) {
    String message = String.valueOf(refused.getMessage());
    int but = message.indexOf("' but ");
    String field = message.split(" ", 2)[0];
    if (but < 0) {
      return new InvalidLeaderElectionPropertyException(coordinatedProperty, "true",
          "cannot run: " + message, "fix the election's settings", refused);
    }
    String rule = message.substring(but + "' but ".length())
        .replace("binaryVersion", binaryVersionProperty);
    return switch (field) {
      case "binaryVersion" -> new InvalidLeaderElectionPropertyException(binaryVersionProperty,
          binaryVersion, rule, "set it to this build's version, such as 1.4.2 (without it, the "
              + "version in build-info is used)", refused);
      case "emulationVersion" -> new InvalidLeaderElectionPropertyException(
          emulationVersionProperty, emulationVersion, rule, "set it to a semantic version not "
              + "above the binary version, or remove it to emulate the binary version", refused);
      default -> new InvalidLeaderElectionPropertyException(
          ElectionSettingsResolver.PREFIX + ".identity", identity, rule,
          "use a valid Kubernetes name, such as the pod's name, or leave it unset", refused);
    };
  }

  /**
   * The election is not held on a Lease, which the API server alone coordinates.
   *
   * @param why a clause such as "the election's lock is ConfigMap my-app"
   */
  InvalidLeaderElectionPropertyException needsLease(String why) {
    return new InvalidLeaderElectionPropertyException(coordinatedProperty, "true",
        "needs a Lease lock, and " + why,
        "use lock=lease (or auto, with a Kubernetes API), or remove " + coordinatedProperty);
  }

  /** The API server does not serve LeaseCandidates, and the election may not fall back. */
  InvalidLeaderElectionPropertyException unavailable(
      CoordinatedElectionUnavailableException unavailable) {
    return new InvalidLeaderElectionPropertyException(coordinatedProperty, "true",
        "needs coordinated leader election on the API server. " + unavailable.getMessage(),
        "enable the CoordinatedLeaderElection feature gate as described, set "
            + fallbackProperty + "=true to elect without coordination where it is off, or "
            + "remove " + coordinatedProperty, unavailable);
  }

  /**
   * The API server could not be asked whether it serves LeaseCandidates, so an election that
   * may fall back cannot tell whether it should.
   */
  InvalidLeaderElectionPropertyException undecided(LeaseLockException unanswered) {
    return new InvalidLeaderElectionPropertyException(fallbackProperty, "true",
        "needs to know at startup whether the API server serves LeaseCandidates, and it could "
            + "not be asked: " + unanswered.getMessage(),
        "start the application once the API server answers, or set " + fallbackProperty
            + "=false to start now and announce the candidacy when it answers", unanswered);
  }
}
