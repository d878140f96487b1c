package dev.leaderelection.internal;

import org.jspecify.annotations.Nullable;

/**
 * The rule for identities, and how identities read from records (written by anyone who may edit
 * the lock) are shown in logs: control characters escaped, length bounded, so a hostile record
 * can neither split a log line nor flood the log. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class Identities {

  /**
   * The longest identity: a Kubernetes object name's limit, far above client-go's
   * {@code <host>_<uuid>} identities, and small enough for every lock's record.
   */
  public static final int MAX_LENGTH = 253;

  private static final int MAX_LOGGED = 120;

  private Identities() {
  }

  /**
   * Checks an identity against the rule every elector applies: 1 to 253 characters, no control
   * characters, no white space at either end.
   *
   * @return the rule {@code identity} breaks, or null when it is valid
   */
  public static @Nullable String problem(String identity) {
    if (identity.isBlank()) {
      return "must not be blank";
    }
    if (identity.length() > MAX_LENGTH) {
      return "must be at most " + MAX_LENGTH + " characters (it has " + identity.length() + ")";
    }
    if (!identity.strip().equals(identity)) {
      return "must not start or end with white space";
    }
    if (identity.codePoints().anyMatch(Character::isISOControl)) {
      return "must not contain control characters (such as a line break or NUL)";
    }
    return null;
  }

  /**
   * An identity read from a record as a response (health, an endpoint) shows it: whole when it
   * follows the rule every elector applies (so a valid identity reads as its writer wrote it),
   * else as {@link #printable(String)} writes it, bounded.
   */
  public static String shown(String untrusted) {
    return untrusted.isEmpty() || problem(untrusted) == null ? untrusted : printable(untrusted);
  }

  /**
   * An untrusted identity as it may appear in a log line or a message: control characters
   * escaped ({@code \n}, {@code \u0000}), at most 120 characters and a count of the rest.
   */
  public static String printable(String untrusted) {
    StringBuilder out = new StringBuilder();
    untrusted.codePoints().limit(MAX_LOGGED).forEach(c -> {
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    });
    long length = untrusted.codePoints().count();
    if (length > MAX_LOGGED) {
      out.append("…(").append(length - MAX_LOGGED).append(" more characters)");
    }
    return out.toString();
  }
}
