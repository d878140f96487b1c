package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.Election;
import org.springframework.core.convert.converter.Converter;

/**
 * Binds a named election written with no values of its own ({@code reports: {}} or
 * {@code reports:} in YAML, which reach the binder as an empty text) as one that takes every
 * value from the top level. Spring Boot 4.1 does so by itself; 4.0 refuses the empty value.
 */
final class EmptyElectionConverter implements Converter<String, Election> {

  @Override
  public Election convert(String source) {
    if (!source.isBlank()) {
      throw new IllegalArgumentException("a named election is a map of values (lease-name, "
          + "namespace, lock, ...), not the text '" + source + "'");
    }
    return new Election(null, null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }
}
