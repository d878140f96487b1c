package dev.leaderelection.kubernetes;

import java.util.regex.Pattern;

/** Which object holds the record: its resource (for messages and RBAC), namespace and name. */
record ObjectReference(String resourceName, String group, String namespace, String name) {

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  ObjectReference {
    if (name == null || name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      throw new IllegalArgumentException("name is '" + name + "' but must be a valid Kubernetes "
          + "object name: at most 253 lower-case letters, digits, '-' and '.', starting and "
          + "ending with a letter or digit");
    }
    if (namespace == null || namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
      throw new IllegalArgumentException("namespace is '" + namespace + "' but must be a valid "
          + "Kubernetes namespace: at most 63 lower-case letters, digits and '-', starting and "
          + "ending with a letter or digit");
    }
  }

  /** The resource with its group, as RBAC and error messages name it. */
  String resource() {
    return group.isEmpty() ? resourceName : resourceName + "." + group;
  }

  @Override
  public String toString() {
    return resource() + " " + namespace + "/" + name;
  }
}
