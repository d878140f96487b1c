package dev.leaderelection.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The live objects of this JVM, class by class, as {@code jcmd GC.class_histogram} reports them
 * (after a full GC): a precise count of what a set of objects adds, unlike the used heap, which
 * also counts garbage not yet collected.
 */
record HeapHistogram(Map<String, Long> bytesByClass, long totalBytes) {

  private static final Pattern ROW =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);
  private static final Pattern TOTAL =
      Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)", Pattern.MULTILINE);

  /** Collects garbage and counts the live objects. */
  static HeapHistogram take() throws JMException {
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    Map<String, Long> bytes = new HashMap<>();
    Matcher row = ROW.matcher(text);
    while (row.find()) {
      bytes.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
    }
    Matcher total = TOTAL.matcher(text);
    if (!total.find()) {
      throw new IllegalStateException("no total in the class histogram:\n" + text);
    }
    return new HeapHistogram(bytes, Long.parseLong(total.group(2)));
  }

  /**
   * How much this histogram itself occupies (its map of class names), measured by a second
   * histogram taken at once: while this one is kept, it is part of what a later one counts.
   */
  long ownBytes() throws JMException {
    return take().totalBytes - totalBytes;
  }

  /**
   * What {@code later} holds beyond this histogram, leaving out classes whose name starts with
   * {@code excludedPrefix} (the benchmark's own instruments) and this histogram's own
   * {@code ownBytes}.
   */
  long addedBy(HeapHistogram later, String excludedPrefix, long ownBytes) {
    long excluded = 0;
    for (Map.Entry<String, Long> row : later.bytesByClass.entrySet()) {
      if (row.getKey().startsWith(excludedPrefix)) {
        excluded += row.getValue() - bytesByClass.getOrDefault(row.getKey(), 0L);
      }
    }
    return later.totalBytes - totalBytes - excluded - ownBytes;
  }

  /** The {@code limit} classes that grew most from this histogram to {@code later}. */
  String largestGrowth(HeapHistogram later, int limit) {
    StringBuilder out = new StringBuilder();
    later.bytesByClass.entrySet().stream()
        .map(row -> Map.entry(row.getKey(),
            row.getValue() - bytesByClass.getOrDefault(row.getKey(), 0L)))
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
        .forEach(row -> out.append(String.format("%12d %s%n", row.getValue(), row.getKey())));
    return out.toString();
  }
}
