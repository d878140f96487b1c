package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.internal.Identities;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Preemption state kept in annotations, which every API server keeps (unlike Lease
 * {@code spec.preferredHolder}, which servers drop unless the CoordinatedLeaderElection feature
 * gate is on). Absent annotations mean priority 0 and no preferred holder.
 */
final class PriorityAnnotations {

  static final String HOLDER_PRIORITY = "leaderelection.dev/holder-priority";
  static final String PREFERRED_HOLDER = "leaderelection.dev/preferred-holder";
  static final String PREFERRED_HOLDER_PRIORITY = "leaderelection.dev/preferred-holder-priority";

  private PriorityAnnotations() {
  }

  static int holderPriority(V1ObjectMeta metadata, ObjectReference object) {
    return integer(annotations(metadata), HOLDER_PRIORITY, object);
  }

  static @Nullable PreferredHolder preferredHolder(V1ObjectMeta metadata,
      ObjectReference object) {
    Map<String, String> annotations = annotations(metadata);
    String identity = annotations.get(PREFERRED_HOLDER);
    if (identity == null || identity.isEmpty()) {
      return null;
    }
    return new PreferredHolder(identity, integer(annotations, PREFERRED_HOLDER_PRIORITY, object));
  }

  /** Writes the record's priorities, removing annotations that would say "0" or "none". */
  static void write(V1ObjectMeta metadata, LeaderRecord record) {
    Map<String, String> annotations = new HashMap<>(annotations(metadata));
    put(annotations, HOLDER_PRIORITY,
        record.holderPriority() == 0 ? null : Integer.toString(record.holderPriority()));
    PreferredHolder preferred = record.preferredHolder();
    put(annotations, PREFERRED_HOLDER, preferred == null ? null : preferred.identity());
    put(annotations, PREFERRED_HOLDER_PRIORITY,
        preferred == null ? null : Integer.toString(preferred.priority()));
    metadata.setAnnotations(annotations.isEmpty() ? null : annotations);
  }

  private static void put(Map<String, String> annotations, String key, @Nullable String value) {
    if (value == null) {
      annotations.remove(key);
    } else {
      annotations.put(key, value);
    }
  }

  private static Map<String, String> annotations(V1ObjectMeta metadata) {
    Map<String, String> annotations = metadata.getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private static int integer(Map<String, String> annotations, String key,
      ObjectReference object) {
    String value = annotations.get(key);
    if (value == null) {
      return 0;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new LeaseLockException(object + " has a malformed annotation " + key + "='"
          + Identities.printable(value) + "': it must be a whole number; fix or remove it (it is "
          + "not overwritten)");
    }
  }
}
