package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.sample.ConfigurationMetadata.Property;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README stays a front door that leads to every page and keeps the commands CI relies on,
 * and the documentation names only properties that exist.
 */
class ReadmeTest {

  private static final int MOST_LINES = 250;
  /** A property as prose names it: {@code leader-election.etcd.ssl.bundle}, {@code ...<name>.*}. */
  private static final Pattern PROPERTY = Pattern.compile(
      "(?<![\\w.-])leader-election(?:\\.(?:[a-z0-9][a-z0-9-]*|<name>|\\*))+");
  private static final Pattern NAMED_ELECTION =
      Pattern.compile(Pattern.quote(ConfigurationMetadata.NAMED) + "\\.[^.]+(?:\\.(.+))?");
  private static final Pattern GROUP =
      Pattern.compile(Pattern.quote("leader-election.groups") + "\\.[^.]+(?:\\.(.+))?");

  @Test
  void readmeShouldStayWithinItsLength() {
    String readme = Docs.read(Docs.ROOT.resolve("README.md"));

    assertThat(readme.split("\n", -1).length - 1).as("lines of README.md")
        .isLessThanOrEqualTo(MOST_LINES);
  }

  @Test
  void readmeShouldKeepTheCommandsOfAFreshMachine() {
    String readme = Docs.read(Docs.ROOT.resolve("README.md"));

    assertThat(readme).as("the test command, which .ci/run runs as the README's")
        .contains("```bash\n./mvnw verify\n```")
        .containsPattern("about thirty minutes on two\\s+cores");
    assertThat(readme).as("the sample's command")
        .contains("```bash\n./mvnw -pl leaderelection-sample-app -am spring-boot:run\n```");
    assertThat(readme).as("the reliability summary's markers, which a chaos run rewrites between")
        .containsSubsequence("<!-- reliability-summary:begin -->",
            "<!-- reliability-summary:end -->");
  }

  @Test
  void readmeShouldLinkEveryPageOfTheDocumentation() {
    String readme = Docs.read(Docs.ROOT.resolve("README.md"));
    String index = Docs.read(Docs.ROOT.resolve("docs").resolve("README.md"));
    List<String> pages = Docs.pages().stream()
        .map(Docs::name).filter(name -> name.startsWith("docs/") && !name.equals("docs/README.md"))
        .toList();

    assertThat(pages).as("pages in docs/").hasSizeGreaterThanOrEqualTo(8);
    for (String page : pages) {
      assertThat(readme).as("README.md links %s", page).contains("](" + page);
      assertThat(index).as("docs/README.md links %s", page)
          .contains("](" + page.substring("docs/".length()));
    }
    assertThat(readme).contains("](CONTRIBUTING.md)");
  }

  @Test
  void documentedPropertiesShouldExistInTheConfigurationMetadata() {
    ConfigurationMetadata metadata = ConfigurationMetadata.load();
    Set<String> known = metadata.properties().stream().map(Property::name)
        .collect(Collectors.toCollection(TreeSet::new));
    known.addAll(metadata.groups());
    Set<String> keys = metadata.namedElectionKeys().stream().map(Property::name)
        .collect(Collectors.toSet());
    List<String> unknown = new ArrayList<>();
    int named = 0;
    for (Path page : Docs.pages()) {
      String text = Docs.read(page);
      Matcher property = PROPERTY.matcher(text);
      while (property.find()) {
        named++;
        String name = property.group().replaceAll("\\.\\*$", "");
        if (!known.contains(name) && !isNamedElectionKey(name, keys) && !isGroupKey(name, keys)) {
          unknown.add(Docs.name(page) + ":" + Docs.lineOf(text, property.start()) + ": " + name);
        }
      }
    }

    assertThat(known).as("properties in the configuration metadata").hasSizeGreaterThan(20);
    assertThat(named).as("properties named in the documentation").isGreaterThan(50);
    assertThat(unknown).as("documented properties that the starter does not have").isEmpty();
  }

  /** {@code leader-election.groups.<name>} itself, its {@code shards}, or an election key. */
  private static boolean isGroupKey(String name, Set<String> keys) {
    Matcher group = GROUP.matcher(name);
    return group.matches() && (group.group(1) == null || group.group(1).equals("shards")
        || keys.contains(group.group(1)));
  }

  /** {@code leader-election.elections.<name>} itself, or one of its keys. */
  private static boolean isNamedElectionKey(String name, Set<String> keys) {
    Matcher named = NAMED_ELECTION.matcher(name);
    return named.matches() && (named.group(1) == null || keys.contains(named.group(1)));
  }
}
