package dev.leaderelection.kubernetes;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.leaderelection.LeaderRecord;
import dev.leaderelection.LeaseLockException;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A record in a ConfigMap's {@code control-plane.alpha.kubernetes.io/leader} annotation, as the
 * JSON of client-go's {@code LeaderElectionRecord}. A ConfigMap without the annotation holds a
 * free lease; a malformed annotation is an error and is never overwritten.
 */
final class ConfigMapCodec implements RecordCodec<V1ConfigMap> {

  static final String LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";

  private final ObjectReference object;

  ConfigMapCodec(ObjectReference object) {
    this.object = object;
  }

  @Override
  public LeaderRecord decode(V1ConfigMap configMap) {
    V1ObjectMeta metadata =
        Objects.requireNonNullElseGet(configMap.getMetadata(), V1ObjectMeta::new);
    Map<String, String> annotations =
        Objects.requireNonNullElse(metadata.getAnnotations(), Map.of());
    String json = annotations.get(LEADER_ANNOTATION);
    int holderPriority = PriorityAnnotations.holderPriority(metadata, object);
    var preferred = PriorityAnnotations.preferredHolder(metadata, object);
    if (json == null || json.isBlank()) {
      return new LeaderRecord("", Duration.ZERO, null, null, 0, holderPriority, preferred,
          metadata.getResourceVersion());
    }
    try {
      JsonObject record = JsonParser.parseString(json).getAsJsonObject();
      return new LeaderRecord(
          text(record, "holderIdentity"),
          Duration.ofSeconds(number(record, "leaseDurationSeconds")),
          time(record, "acquireTime"),
          time(record, "renewTime"),
          Math.toIntExact(number(record, "leaderTransitions")),
          holderPriority,
          preferred,
          metadata.getResourceVersion());
    } catch (RuntimeException e) {
      throw new LeaseLockException("ConfigMap " + object.namespace() + "/" + object.name()
          + " has a malformed " + LEADER_ANNOTATION + " annotation (" + e.getMessage()
          + "); it is not overwritten: fix or delete the annotation", e);
    }
  }

  @Override
  public V1ConfigMap encode(LeaderRecord record, @Nullable V1ConfigMap base) {
    V1ConfigMap configMap = base != null ? copy(base) : new V1ConfigMap()
        .apiVersion("v1")
        .kind("ConfigMap")
        .metadata(new V1ObjectMeta().namespace(object.namespace()).name(object.name()));
    V1ObjectMeta metadata = Objects.requireNonNull(configMap.getMetadata());
    metadata.setResourceVersion(record.version());
    PriorityAnnotations.write(metadata, record);
    Map<String, String> annotations =
        new HashMap<>(Objects.requireNonNullElse(metadata.getAnnotations(), Map.of()));
    annotations.put(LEADER_ANNOTATION, toJson(record));
    metadata.setAnnotations(annotations);
    return configMap;
  }

  /** The JSON of client-go's LeaderElectionRecord, in its field order. */
  static String toJson(LeaderRecord record) {
    JsonObject json = new JsonObject();
    json.addProperty("holderIdentity", record.holderIdentity());
    json.addProperty("leaseDurationSeconds", record.leaseDuration().toSeconds());
    json.add("acquireTime", time(record.acquireTime()));
    json.add("renewTime", time(record.renewTime()));
    json.addProperty("leaderTransitions", record.leaseTransitions());
    return json.toString();
  }

  private static JsonElement time(@Nullable Instant instant) {
    return instant == null ? JsonNull.INSTANCE : new JsonPrimitive(Rfc3339.formatMicros(instant));
  }

  private static String text(JsonObject record, String field) {
    JsonElement value = record.get(field);
    if (value == null || value.isJsonNull()) {
      return "";
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(field + " must be a string but is " + value);
    }
    return value.getAsString();
  }

  private static long number(JsonObject record, String field) {
    JsonElement value = record.get(field);
    if (value == null || value.isJsonNull()) {
      return 0;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw new IllegalArgumentException(field + " must be a number but is " + value);
    }
    long number = value.getAsLong();
    if (number < 0) {
      throw new IllegalArgumentException(field + " must not be negative but is " + number);
    }
    return number;
  }

  private static @Nullable Instant time(JsonObject record, String field) {
    String text = text(record, field);
    return text.isEmpty() ? null : Rfc3339.parse(text);
  }

  private static V1ConfigMap copy(V1ConfigMap configMap) {
    try {
      return V1ConfigMap.fromJson(configMap.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
