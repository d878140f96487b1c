package dev.leaderelection.simulation;

/** An invariant broken in a simulated world; ends the run that found it. */
final class Violation extends RuntimeException {

  private final String kind;

  /**
   * @param kind a short name of the invariant ("two leaders", "token regression", ...)
   * @param message what happened, with the identities and tokens involved
   */
  Violation(String kind, String message) {
    super(kind + ": " + message, null, false, false);
    this.kind = kind;
  }

  String kind() {
    return kind;
  }
}
