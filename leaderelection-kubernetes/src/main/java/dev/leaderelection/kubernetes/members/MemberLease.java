package dev.leaderelection.kubernetes.members;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A member Lease as a list or a watch delivered it: what liveness needs of it.
 *
 * @param name the Lease's name
 * @param identity the member, the Lease's {@code spec.holderIdentity}
 * @param duration how long the member stays live after a change, its
 *     {@code spec.leaseDurationSeconds}
 * @param resourceVersion the Lease's {@code metadata.resourceVersion}: a new one is a renewal
 */
record MemberLease(String name, String identity, Duration duration, String resourceVersion) {

  /**
   * The member {@code lease} (JSON, as the API server sent it) announces in {@code group}, or
   * null when it announces none there: no holder, no resourceVersion, or another group's Lease
   * whose label value is the same (names cut short and hashed can, in theory, meet).
   *
   * @param defaultDuration the duration of a Lease that has none
   */
  static @Nullable MemberLease of(JsonObject lease, String group, Duration defaultDuration) {
    JsonObject metadata = object(lease, "metadata");
    JsonObject annotations = metadata == null ? null : object(metadata, "annotations");
    JsonObject spec = object(lease, "spec");
    String name = metadata == null ? null : string(metadata, "name");
    String version = metadata == null ? null : string(metadata, "resourceVersion");
    String holder = spec == null ? null : string(spec, "holderIdentity");
    if (name == null || version == null || holder == null || holder.isEmpty()
        || annotations == null || !group.equals(string(annotations,
            MemberNames.GROUP_ANNOTATION))) {
      return null;
    }
    JsonElement seconds = spec.get("leaseDurationSeconds");
    Duration duration = seconds != null && seconds.isJsonPrimitive() && seconds.getAsInt() > 0
        ? Duration.ofSeconds(seconds.getAsInt()) : defaultDuration;
    return new MemberLease(name, holder, duration, version);
  }

  private static @Nullable JsonObject object(JsonObject parent, String field) {
    JsonElement value = parent.get(field);
    return value != null && value.isJsonObject() ? value.getAsJsonObject() : null;
  }

  private static @Nullable String string(JsonObject parent, String field) {
    JsonElement value = parent.get(field);
    return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
  }
}
