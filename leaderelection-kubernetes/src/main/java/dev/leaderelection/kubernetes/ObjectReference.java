package dev.leaderelection.kubernetes;

/**
 * Which object holds the record: its resource (for messages and RBAC), namespace and name.
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: public only so that its
 * {@code watch}, {@code events} and {@code coordinated} packages can name the objects they
 * call; it may change in any release.
 */
public record ObjectReference(String resourceName, String group, String namespace, String name) {

  public ObjectReference {
    KubernetesNames.objectNameRule(name).ifPresent(rule -> {
      throw new IllegalArgumentException("name is '" + name + "' but " + rule);
    });
    KubernetesNames.namespaceRule(namespace).ifPresent(rule -> {
      throw new IllegalArgumentException("namespace is '" + namespace + "' but " + rule);
    });
  }

  /** The resource with its group, as RBAC and error messages name it. */
  public String resource() {
    return group.isEmpty() ? resourceName : resourceName + "." + group;
  }

  @Override
  public String toString() {
    return resource() + " " + namespace + "/" + name;
  }
}
