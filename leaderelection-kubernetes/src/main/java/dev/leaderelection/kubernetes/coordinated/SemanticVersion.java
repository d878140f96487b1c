package dev.leaderelection.kubernetes.coordinated;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version (semver.org 2.0) as the API server checks a LeaseCandidate's
 * {@code binaryVersion} and {@code emulationVersion}: {@code 1.4.2}, {@code 1.5.0-rc.1},
 * {@code 2.0.0+build.7}; not {@code 1.4} or {@code v1.4.2}. Compared by precedence (build
 * metadata ignored). Immutable.
 */
record SemanticVersion(long major, long minor, long patch, List<String> preRelease)
    implements Comparable<SemanticVersion> {

  private static final String NUMBER = "(0|[1-9]\\d{0,17})";
  private static final String IDENTIFIER = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
  private static final String BUILD = "(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?";
  private static final Pattern SEMVER = Pattern.compile(NUMBER + "\\." + NUMBER + "\\." + NUMBER
      + "(?:-(" + IDENTIFIER + "(?:\\." + IDENTIFIER + ")*))?" + BUILD);

  /**
   * Parses {@code text}.
   *
   * @param field the setting it comes from, for the message
   * @throws IllegalArgumentException naming the field, the value and the rule
   */
  static SemanticVersion parse(String field, String text) {
    Matcher matcher = text == null ? null : SEMVER.matcher(text);
    if (matcher == null || !matcher.matches()) {
      throw new IllegalArgumentException(field + " is '" + text + "' but must be a semantic "
          + "version such as 1.4.2 or 1.5.0-rc.1 (major.minor.patch, no leading 'v'), as the "
          + "API server requires of a LeaseCandidate");
    }
    return new SemanticVersion(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
        Long.parseLong(matcher.group(3)),
        matcher.group(4) == null ? List.of() : List.of(matcher.group(4).split("\\.")));
  }

  @Override
  public int compareTo(SemanticVersion other) {
    int numbers = major != other.major ? Long.compare(major, other.major)
        : minor != other.minor ? Long.compare(minor, other.minor)
        : Long.compare(patch, other.patch);
    if (numbers != 0 || preRelease.equals(other.preRelease)) {
      return numbers;
    }
    if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
      return preRelease.isEmpty() ? 1 : -1; // a release follows its pre-releases
    }
    for (int i = 0; i < Math.min(preRelease.size(), other.preRelease.size()); i++) {
      int compared = compareIdentifiers(preRelease.get(i), other.preRelease.get(i));
      if (compared != 0) {
        return compared;
      }
    }
    return Integer.compare(preRelease.size(), other.preRelease.size());
  }

  private static int compareIdentifiers(String a, String b) {
    boolean numericA = a.chars().allMatch(Character::isDigit);
    boolean numericB = b.chars().allMatch(Character::isDigit);
    if (numericA && numericB) {
      return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
    return numericA ? -1 : numericB ? 1 : a.compareTo(b);
  }
}
