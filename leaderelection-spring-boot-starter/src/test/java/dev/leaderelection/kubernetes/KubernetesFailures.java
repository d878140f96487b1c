package dev.leaderelection.kubernetes;

/**
 * Refusals of the Kubernetes API as the core's locks report them (its constructor is
 * package-private), for the starter's unit tests; {@code ForbiddenLeaseIT} gets real ones.
 */
public final class KubernetesFailures {

  private KubernetesFailures() {
  }

  /** A 403 for {@code get} on a Lease, with the message the core writes for it. */
  public static KubernetesApiException forbiddenLeaseGet(String namespace, String name) {
    return new KubernetesApiException("The Kubernetes API refused to get Lease " + namespace + "/"
        + name + " (HTTP 403 Forbidden): leases.coordination.k8s.io \"" + name + "\" is "
        + "forbidden. Grant the verb 'get' on 'leases' in API group 'coordination.k8s.io' in "
        + "namespace '" + namespace + "' to this identity (see the RBAC section of "
        + "docs/kubernetes.md)",
        403, "Forbidden", "get", "leases.coordination.k8s.io", null);
  }
}
