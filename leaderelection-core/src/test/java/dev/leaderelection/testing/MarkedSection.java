package dev.leaderelection.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One harness's section of a generated document such as {@code docs/reliability.md}, between
 * {@code <!-- name:begin -->} and {@code <!-- name:end -->}: replaced when present, appended
 * otherwise; the rest of the file, other harnesses' sections included, is kept as it is.
 */
public final class MarkedSection {

  private final Path file;
  private final String begin;
  private final String end;

  /** The section {@code name} of {@code file}. */
  public MarkedSection(Path file, String name) {
    this.file = file;
    this.begin = "<!-- " + name + ":begin -->";
    this.end = "<!-- " + name + ":end -->";
  }

  /** Writes {@code content} (markdown, without the markers) as the section. */
  public void write(String content) {
    String section = begin + "\n" + content + (content.endsWith("\n") ? "" : "\n") + end;
    try {
      String text = Files.exists(file) ? Files.readString(file) : "";
      int from = text.indexOf(begin);
      int to = text.indexOf(end);
      String updated = from >= 0 && to > from
          ? text.substring(0, from) + section + text.substring(to + end.length())
          : text + (text.endsWith("\n") || text.isEmpty() ? "\n" : "\n\n") + section + "\n";
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, updated);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
