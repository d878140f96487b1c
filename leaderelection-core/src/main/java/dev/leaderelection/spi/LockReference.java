package dev.leaderelection.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a lock is, for operators: its kind ({@code Lease}, {@code ConfigMap}, {@code in-memory},
 * …), its namespace where the store has namespaces, and its name. Immutable.
 *
 * @param kind the kind of object or store holding the record
 * @param namespace the namespace, or null where the store has none
 * @param name the name of the object or key
 * @since 0.2.0
 */
public record LockReference(String kind, @Nullable String namespace, String name) {

  /** @throws NullPointerException when {@code kind} or {@code name} is null */
  public LockReference {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }
}
