package dev.leaderelection.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's documentation as the tests read it: {@code README.md}, {@code CONTRIBUTING.md}
 * and every page of {@code docs/}, with the parts inside fenced code blocks told apart from the
 * prose, and headings turned into anchors as GitHub does.
 */
final class Docs {

  /** The repository's root, seen from this module's directory (where tests run). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
  private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern LINK_IN_TEXT = Pattern.compile("!?\\[([^\\]]*)]\\(([^)]*)\\)");
  private static final Pattern HTML_TAG = Pattern.compile("<[^>]*>");
  private static final Pattern NOT_IN_SLUG = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]");

  private Docs() {
  }

  /** README.md, CONTRIBUTING.md and docs/*.md, in that order (docs/ sorted by name). */
  static List<Path> pages() {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"),
        ROOT.resolve("CONTRIBUTING.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(path -> path.getFileName().toString().endsWith(".md")).sorted()
          .forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  static String read(Path page) {
    try {
      return Files.readString(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The page's path from the repository's root, for messages. */
  static String name(Path page) {
    return ROOT.relativize(page.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  /** The 1-based line of a character offset. */
  static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /**
   * The text with every line of a fenced code block (fences included) blanked, so that offsets
   * and line numbers still match the page.
   */
  static String prose(String markdown) {
    StringBuilder out = new StringBuilder(markdown.length());
    boolean inFence = false;
    for (String line : markdown.split("\n", -1)) {
      boolean fence = FENCE.matcher(line).find();
      if (fence) {
        inFence = !inFence;
      }
      out.append(fence || inFence ? " ".repeat(line.length()) : line).append('\n');
    }
    return out.substring(0, markdown.length());
  }

  /** The anchors of a page's headings, as GitHub makes them (duplicates get -1, -2, ...). */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : prose(markdown).split("\n")) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        String slug = slug(heading.group(2));
        int count = seen.merge(slug, 1, Integer::sum);
        anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
      }
    }
    return anchors;
  }

  /**
   * GitHub's anchor for a heading: its text as rendered (links become their text, tags go),
   * lower-cased, every character but letters, digits, '-', '_' and spaces dropped, and each space
   * turned into '-'.
   */
  static String slug(String heading) {
    String text = LINK_IN_TEXT.matcher(heading).replaceAll("$1");
    text = HTML_TAG.matcher(text).replaceAll("");
    text = NOT_IN_SLUG.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("");
    return text.replace(' ', '-');
  }
}
