package dev.leaderelection.kubernetes;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Kubernetes rules for the names a lock uses: an object's name is a DNS subdomain (RFC 1123),
 * a namespace a DNS label. Pure functions.
 *
 * @since 0.1.0
 */
public final class KubernetesNames {

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private KubernetesNames() {
  }

  /**
   * The rule {@code name} breaks as the name of a Lease or ConfigMap, as a phrase such as
   * {@code "must be a valid Kubernetes name: ..."}; empty when it is valid.
   */
  public static Optional<String> objectNameRule(String name) {
    return name != null && name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches()
        ? Optional.empty()
        : Optional.of("must be a valid Kubernetes name: at most 253 lower-case letters, "
            + "digits, '-' and '.', starting and ending with a letter or digit");
  }

  /** The rule {@code namespace} breaks as a namespace, as a phrase; empty when it is valid. */
  public static Optional<String> namespaceRule(String namespace) {
    return namespace != null && namespace.length() <= 63
        && DNS_LABEL.matcher(namespace).matches()
        ? Optional.empty()
        : Optional.of("must be a valid Kubernetes name: at most 63 lower-case letters, "
            + "digits and '-', starting and ending with a letter or digit");
  }
}
