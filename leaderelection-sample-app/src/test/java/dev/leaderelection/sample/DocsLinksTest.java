package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link and image of the documentation ({@code README.md}, {@code CONTRIBUTING.md},
 * {@code docs/*.md}) leads somewhere: its file exists in the repository, and its
 * {@code #anchor}, if any, is a heading of the target page (GitHub's anchors). Links with a
 * scheme ({@code https:}, {@code mailto:}) are not followed.
 */
class DocsLinksTest {

  /** {@code [text](target)} and {@code ![alt](target)}, the text possibly over several lines. */
  private static final Pattern INLINE_LINK =
      Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*])*]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  /** {@code [label]: target}, a reference definition. */
  private static final Pattern REFERENCE_DEFINITION =
      Pattern.compile("(?m)^ {0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s+\"[^\"]*\")?\\s*$");
  private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
  private static final Pattern LINE_ANCHOR = Pattern.compile("L\\d+(-L\\d+)?");

  /** A link as written: where it is, and what it points at. */
  record Link(Path page, int line, String target) {

    @Override
    public String toString() {
      return Docs.name(page) + ":" + line + ": (" + target + ")";
    }
  }

  @Test
  void relativeLinksShouldResolveToFilesOfTheRepository() {
    List<Link> links = relativeLinks();
    List<String> broken = new ArrayList<>();
    for (Link link : links) {
      Path file = file(link);
      if (!file.startsWith(Docs.ROOT)) {
        broken.add(link + " leaves the repository");
      } else if (!Files.exists(file)) {
        broken.add(link + ": no such file " + Docs.name(file));
      }
    }

    assertThat(links).as("relative links in the documentation").hasSizeGreaterThan(40);
    assertThat(broken).as("links to files that do not exist").isEmpty();
  }

  @Test
  void anchorsShouldResolveToHeadingsOfTheirTarget() {
    List<String> broken = new ArrayList<>();
    int anchored = 0;
    for (Link link : relativeLinks()) {
      int hash = link.target().indexOf('#');
      Path file = file(link);
      if (hash < 0 || !Files.isRegularFile(file)) {
        continue;
      }
      anchored++;
      String anchor = URLDecoder.decode(link.target().substring(hash + 1), StandardCharsets.UTF_8);
      if (file.toString().endsWith(".md")) {
        if (!Docs.anchors(Docs.read(file)).contains(anchor)) {
          broken.add(link + ": no heading '" + anchor + "' in " + Docs.name(file) + " (headings: "
              + Docs.anchors(Docs.read(file)) + ")");
        }
      } else if (!LINE_ANCHOR.matcher(anchor).matches()) {
        broken.add(link + ": '" + anchor + "' is neither a heading nor a line of a source file");
      }
    }

    assertThat(anchored).as("links with an anchor").isGreaterThan(20);
    assertThat(broken).as("anchors that are no heading of their target").isEmpty();
  }

  @Test
  void headingsShouldGetGitHubsAnchors() {
    assertThat(Docs.slug("The `leaderelection` endpoint")).isEqualTo("the-leaderelection-endpoint");
    assertThat(Docs.slug("etcd: this library against jetcd's `Election`"))
        .isEqualTo("etcd-this-library-against-jetcds-election");
    assertThat(Docs.slug("`@OnLeader` call (JMH, average time, one run)"))
        .isEqualTo("onleader-call-jmh-average-time-one-run");
    assertThat(Docs.slug("Durations, the Kubernetes API and invalid values"))
        .isEqualTo("durations-the-kubernetes-api-and-invalid-values");
    assertThat(Docs.slug("`leader-election.etcd.ssl`")).isEqualTo("leader-electionetcdssl");
    assertThat(Docs.slug("snake_case and [a link](x.md)")).isEqualTo("snake_case-and-a-link");
    assertThat(Docs.anchors("# A\n```\n# not a heading\n```\n## A\n### B #\n"))
        .containsExactly("a", "a-1", "b");
  }

  private static Path file(Link link) {
    int hash = link.target().indexOf('#');
    String path = hash < 0 ? link.target() : link.target().substring(0, hash);
    if (path.isEmpty()) {
      return link.page();
    }
    return link.page().getParent()
        .resolve(URLDecoder.decode(path, StandardCharsets.UTF_8)).normalize();
  }

  /** Every link of the documentation's prose (not of its code) that has no scheme. */
  private static List<Link> relativeLinks() {
    List<Link> links = new ArrayList<>();
    for (Path page : Docs.pages()) {
      String text = Docs.read(page);
      String prose = Docs.prose(text);
      // Code spans cannot hold links; blank them, keeping offsets, but keep the brackets of a
      // link's text that is code (`[`x`](target)`).
      Matcher code = CODE_SPAN.matcher(prose);
      StringBuilder blanked = new StringBuilder(prose);
      while (code.find()) {
        for (int i = code.start(); i < code.end(); i++) {
          blanked.setCharAt(i, ' ');
        }
      }
      for (Pattern pattern : List.of(INLINE_LINK, REFERENCE_DEFINITION)) {
        Matcher link = pattern.matcher(blanked);
        while (link.find()) {
          String target = link.group(1);
          if (!SCHEME.matcher(target).find()) {
            links.add(new Link(page, Docs.lineOf(text, link.start()), target));
          }
        }
      }
    }
    return links;
  }
}
