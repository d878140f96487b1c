package dev.leaderelection.kubernetes;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.leaderelection.LeaderRecord;
import dev.leaderelection.LeaseLockException;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Endpoints;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A record in an object's {@code control-plane.alpha.kubernetes.io/leader} annotation, as the
 * JSON of client-go's {@code LeaderElectionRecord}: how client-go's ConfigMap and Endpoints locks
 * store it. An object without the annotation holds a free lease; a malformed annotation is an
 * error and is never overwritten. Other data, labels and annotations of the object are kept.
 */
final class AnnotationCodec<T extends KubernetesObject> implements RecordCodec<T> {

  static final String LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";

  private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]+");

  private final ObjectReference object;
  private final String kind;
  private final Class<T> type;
  private final Function<V1ObjectMeta, T> fresh;

  private AnnotationCodec(ObjectReference object, String kind, Class<T> type,
      Function<V1ObjectMeta, T> fresh) {
    this.object = object;
    this.kind = kind;
    this.type = type;
    this.fresh = fresh;
  }

  /** client-go's ConfigMap lock. */
  static AnnotationCodec<V1ConfigMap> configMap(ObjectReference object) {
    return new AnnotationCodec<>(object, "ConfigMap", V1ConfigMap.class,
        metadata -> new V1ConfigMap().apiVersion("v1").kind("ConfigMap").metadata(metadata));
  }

  /** client-go's Endpoints lock (the Endpoints API is deprecated since Kubernetes 1.33). */
  static AnnotationCodec<V1Endpoints> endpoints(ObjectReference object) {
    return new AnnotationCodec<>(object, "Endpoints", V1Endpoints.class,
        metadata -> new V1Endpoints().apiVersion("v1").kind("Endpoints").metadata(metadata));
  }

  @Override
  public LeaderRecord decode(T annotated) {
    V1ObjectMeta metadata =
        Objects.requireNonNullElseGet(annotated.getMetadata(), V1ObjectMeta::new);
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
          number(record, "leaderTransitions"),
          holderPriority,
          preferred,
          metadata.getResourceVersion());
    } catch (RuntimeException e) {
      // Our own rules explain themselves; a parser's message (with its advice and line breaks)
      // stays in the cause, out of logs' first line and health details.
      String problem = e instanceof MalformedField ? e.getMessage()
          : "it is not the JSON object of a client-go leader record";
      throw new LeaseLockException(kind + " " + object.namespace() + "/" + object.name()
          + " has a malformed " + LEADER_ANNOTATION + " annotation (" + problem
          + "); it is not overwritten: fix or delete the annotation", e);
    }
  }

  @Override
  public T encode(LeaderRecord record, @Nullable T base) {
    T written = RecordCodec.writable(record, base, object, type, fresh);
    V1ObjectMeta metadata = Objects.requireNonNull(written.getMetadata());
    Map<String, String> annotations =
        new HashMap<>(Objects.requireNonNullElse(metadata.getAnnotations(), Map.of()));
    annotations.put(LEADER_ANNOTATION, toJson(record));
    metadata.setAnnotations(annotations);
    return written;
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
      throw new MalformedField(field + " must be a string but is " + shown(value));
    }
    return value.getAsString();
  }

  /**
   * A whole number from 0 to 2147483647 written as one (client-go's int32 fields): {@code 2.5},
   * {@code 1e300} or {@code 2.0} are malformed, as Go's decoder finds them, never rounded.
   */
  private static int number(JsonObject record, String field) {
    JsonElement value = record.get(field);
    if (value == null || value.isJsonNull()) {
      return 0;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw new MalformedField(field + " must be a number but is " + shown(value));
    }
    String literal = value.getAsString();
    if (!WHOLE_NUMBER.matcher(literal).matches() || literal.length() > 10
        || Long.parseLong(literal) > Integer.MAX_VALUE) {
      throw new MalformedField(field + " must be a whole number from 0 to "
          + Integer.MAX_VALUE + " but is " + shown(value));
    }
    return Integer.parseInt(literal);
  }

  private static String shown(JsonElement value) {
    String json = value.toString();
    return json.length() <= 40 ? json : json.substring(0, 40) + "…";
  }

  /** A field that breaks client-go's record format. */
  private static final class MalformedField extends IllegalArgumentException {
    MalformedField(String message) {
      super(message);
    }
  }

  private static @Nullable Instant time(JsonObject record, String field) {
    String text = text(record, field);
    try {
      return text.isEmpty() ? null : Rfc3339.parse(text);
    } catch (RuntimeException e) {
      throw new MalformedField(field + " must be an RFC 3339 time but is "
          + shown(new JsonPrimitive(text)));
    }
  }
}
