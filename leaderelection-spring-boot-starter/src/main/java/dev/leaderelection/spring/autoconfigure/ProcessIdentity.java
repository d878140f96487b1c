package dev.leaderelection.spring.autoconfigure;

/**
 * This process's identity: {@code plain} in ordinary elections, and {@code objectName} in
 * coordinated ones, where it names a LeaseCandidate. Both are the configured identity when
 * {@code configured}; generated, they share their random part and {@code objectName} is a valid
 * Kubernetes name.
 */
record ProcessIdentity(String plain, String objectName, boolean configured) {

  /** The identity {@code leader-election.identity} sets. */
  static ProcessIdentity configured(String identity) {
    return new ProcessIdentity(identity, identity, true);
  }
}
