package dev.leaderelection.sample;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The starter's {@code leader-election.*} properties, as the configuration-metadata processor
 * wrote them into {@code META-INF/spring-configuration-metadata.json} (from the Javadoc of
 * {@code LeaderElectionProperties}), read from the test classpath. Named elections are a map in
 * the metadata; their keys are the components of the map's value type.
 */
final class ConfigurationMetadata {

  static final String PREFIX = "leader-election";
  static final String NAMED = PREFIX + ".elections";

  /**
   * The top-level properties (by their first element) that a named election sets for itself, as
   * LeaderElectionProperties documents them; the others are the whole process's.
   */
  static final List<String> ELECTION_SETTINGS = List.of("lease-name", "lease-duration",
      "renew-deadline", "retry-period", "release-on-shutdown", "lock", "priority", "kubernetes");

  private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

  /** One property; {@code defaultValue} and {@code deprecation} are empty when absent. */
  record Property(String name, String type, String description, Optional<String> defaultValue,
      Optional<String> deprecation) {
  }

  private final List<Property> properties;
  private final TreeSet<String> groups;

  private ConfigurationMetadata(List<Property> properties, TreeSet<String> groups) {
    this.properties = properties;
    this.groups = groups;
  }

  /** Reads every metadata file on the classpath, keeping only the starter's properties. */
  static ConfigurationMetadata load() {
    TreeMap<String, Property> properties = new TreeMap<>();
    TreeSet<String> groups = new TreeSet<>();
    try {
      for (URL url : Collections.list(ConfigurationMetadata.class.getClassLoader()
          .getResources("META-INF/spring-configuration-metadata.json"))) {
        try (InputStreamReader reader = new InputStreamReader(url.openStream(),
            StandardCharsets.UTF_8)) {
          JsonObject metadata = JsonParser.parseReader(reader).getAsJsonObject();
          for (JsonElement element : metadata.getAsJsonArray("properties")) {
            JsonObject property = element.getAsJsonObject();
            String name = property.get("name").getAsString();
            if (name.startsWith(PREFIX + ".")) {
              properties.put(name, new Property(name, text(property, "type").orElse(""),
                  text(property, "description").orElse(""), text(property, "defaultValue"),
                  deprecation(property)));
            }
          }
          if (metadata.has("groups")) {
            for (JsonElement group : metadata.getAsJsonArray("groups")) {
              String name = group.getAsJsonObject().get("name").getAsString();
              if (name.equals(PREFIX) || name.startsWith(PREFIX + ".")) {
                groups.add(name);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ConfigurationMetadata(List.copyOf(properties.values()), groups);
  }

  /** Every {@code leader-election.*} property, sorted by name. */
  List<Property> properties() {
    return properties;
  }

  /** The property groups ({@code leader-election}, {@code leader-election.etcd}, ...), sorted. */
  TreeSet<String> groups() {
    return groups;
  }

  /** The group a property belongs to: the longest group its name starts with. */
  String groupOf(String property) {
    return groups.stream().filter(group -> property.startsWith(group + "."))
        .max(Comparator.comparingInt(String::length)).orElse(PREFIX);
  }

  /**
   * The keys of a named election ({@code leader-election.elections.<name>.<key>}) with their
   * types, sorted by key, from the record the elections map holds.
   */
  List<Property> namedElectionKeys() {
    List<Property> keys = new ArrayList<>();
    for (Property property : properties) {
      String relative = property.name().substring(PREFIX.length() + 1);
      if (ELECTION_SETTINGS.contains(relative.split("\\.", 2)[0])) {
        keys.add(new Property(relative, property.type(), "", Optional.empty(), Optional.empty()));
      }
    }
    keys.sort(Comparator.comparing(Property::name));
    return keys;
  }

  /** The values of an enum type as properties take them ({@code IN_MEMORY} is in-memory). */
  static Optional<List<String>> enumValues(String type) {
    if (type.startsWith("java.") || type.contains("<")) {
      return Optional.empty();
    }
    Class<?> loaded;
    try {
      loaded = load(type);
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
    if (!loaded.isEnum()) {
      return Optional.empty();
    }
    List<String> values = new ArrayList<>();
    for (Object constant : loaded.getEnumConstants()) {
      values.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return Optional.of(values);
  }

  static String kebab(String camel) {
    return CAMEL.matcher(camel).replaceAll("$1-$2").toLowerCase(Locale.ROOT);
  }

  private static Class<?> load(String binaryName) {
    try {
      return Class.forName(binaryName, false, ConfigurationMetadata.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the metadata names " + binaryName
          + ", which is not on the classpath", e);
    }
  }

  private static Optional<String> text(JsonObject object, String member) {
    JsonElement value = object.get(member);
    if (value == null || value.isJsonNull()) {
      return Optional.empty();
    }
    if (value.isJsonArray()) {
      List<String> items = new ArrayList<>();
      value.getAsJsonArray().forEach(item -> items.add(item.getAsString()));
      return Optional.of(String.join(",", items));
    }
    return Optional.of(value.getAsString());
  }

  private static Optional<String> deprecation(JsonObject property) {
    if (!property.has("deprecation")) {
      return property.has("deprecated") && property.get("deprecated").getAsBoolean()
          ? Optional.of("") : Optional.empty();
    }
    JsonObject deprecation = property.getAsJsonObject("deprecation");
    List<String> parts = new ArrayList<>();
    text(deprecation, "reason").ifPresent(parts::add);
    text(deprecation, "replacement").ifPresent(replacement -> parts.add("use `" + replacement
        + "`"));
    return Optional.of(String.join("; ", parts));
  }
}
