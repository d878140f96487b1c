package dev.leaderelection.kubernetes.members;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How the member Leases of a group are named and labelled: pure functions of the group's name and
 * the member's identity, the same in every replica and every release.
 *
 * <p>A Lease is named {@code <group>.member.<identity>}, each part a DNS label: the exact name or
 * identity when it already is one (lower-case letters, digits and '-', starting and ending with a
 * letter or digit, at most {@value #MAX_PART} characters); otherwise it lower-cased, every run of
 * other characters replaced by one '-', cut short and followed by '-' and {@value #HASH_CHARS} hex digits of
 * the SHA-256 of the exact string. So two identities never share a Lease (but by a hash
 * collision), and since neither part holds a '.', two groups never do either. The label value is
 * the group's part when it fits a label value ({@value #MAX_LABEL} characters), otherwise it cut
 * short with the same hash; the exact name of the group is in an annotation.
 */
final class MemberNames {

  /** The label that selects the member Leases of one group. */
  static final String GROUP_LABEL = "leaderelection.dev/group";
  /** The annotation that holds the exact name of the group. */
  static final String GROUP_ANNOTATION = "leaderelection.dev/group";

  static final int MAX_PART = 100;
  static final int MAX_LABEL = 63;
  static final int HASH_CHARS = 10;

  private MemberNames() {
  }

  /** The name of the member Lease of {@code identity} in {@code group}. */
  static String leaseName(String group, String identity) {
    return part(group, MAX_PART) + ".member." + part(identity, MAX_PART);
  }

  /** The value of {@link #GROUP_LABEL} on the member Leases of {@code group}. */
  static String labelValue(String group) {
    return part(group, MAX_LABEL);
  }

  /** The label selector of the member Leases of {@code group}. */
  static String labelSelector(String group) {
    return GROUP_LABEL + "=" + labelValue(group);
  }

  /** {@code text} as a DNS label of at most {@code max} characters, exact when it is one. */
  static String part(String text, int max) {
    if (isLabel(text, max)) {
      return text;
    }
    StringBuilder cleaned = new StringBuilder();
    for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
      cleaned.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-');
    }
    String collapsed = cleaned.toString().replaceAll("-+", "-");
    String kept = collapsed.substring(0, Math.min(collapsed.length(), max - HASH_CHARS - 1))
        .replaceAll("^-+|-+$", "");
    return (kept.isEmpty() ? "" : kept + "-") + hash(text);
  }

  private static boolean isLabel(String text, int max) {
    return !text.isEmpty() && text.length() <= max
        && text.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
