package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README documents only properties that exist, and every property of the starter. */
class ReadmeTest {

  private static final Pattern PROPERTY_ROW = Pattern.compile("^\\| `(leader-election\\.[^`]+)`",
      Pattern.MULTILINE);

  @Test
  void readmePropertyTableShouldMatchTheConfigurationMetadata() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    Set<String> documented = new TreeSet<>();
    Matcher row = PROPERTY_ROW.matcher(readme);
    while (row.find()) {
      documented.add(row.group(1).replace(".<name>.*", ""));
    }
    Set<String> known = metadataProperties();

    assertThat(documented).as("documented properties").isNotEmpty();
    assertThat(known).as("properties in the configuration metadata").containsAll(documented);
    assertThat(documented).as("every starter property is documented").containsAll(known);
  }

  private static Set<String> metadataProperties() throws IOException {
    Set<String> names = new TreeSet<>();
    for (URL url : Collections.list(ReadmeTest.class.getClassLoader()
        .getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStreamReader reader = new InputStreamReader(url.openStream(),
          StandardCharsets.UTF_8)) {
        for (JsonElement property : JsonParser.parseReader(reader).getAsJsonObject()
            .getAsJsonArray("properties")) {
          String name = property.getAsJsonObject().get("name").getAsString();
          if (name.startsWith("leader-election.")) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }
}
