package dev.leaderelection.etcd;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.leaderelection.LeaderRecord;
import dev.leaderelection.LeaderRecord.PreferredHolder;
import dev.leaderelection.LeaseLockException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A record as the JSON of client-go's {@code LeaderElectionRecord} (its field names and order;
 * times in RFC 3339 with six fractional digits, as client-go reads them), so that
 * {@code etcdctl get} shows what a Kubernetes user expects. client-go's {@code preferredHolder}
 * carries the preferred holder's identity; the two priorities, which client-go has no field for,
 * are {@code holderPriority} and {@code preferredHolderPriority}, left out when unused. A value
 * that breaks these rules is an error and is never overwritten.
 */
final class RecordJson {

  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");

  private RecordJson() {
  }

  static String encode(LeaderRecord record) {
    JsonObject json = new JsonObject();
    json.addProperty("holderIdentity", record.holderIdentity());
    json.addProperty("leaseDurationSeconds", record.leaseDuration().toSeconds());
    json.add("acquireTime", time(record.acquireTime()));
    json.add("renewTime", time(record.renewTime()));
    json.addProperty("leaderTransitions", record.leaseTransitions());
    PreferredHolder preferred = record.preferredHolder();
    if (preferred != null) {
      json.addProperty("preferredHolder", preferred.identity());
    }
    if (record.holderPriority() != 0) {
      json.addProperty("holderPriority", record.holderPriority());
    }
    if (preferred != null) {
      json.addProperty("preferredHolderPriority", preferred.priority());
    }
    return json.toString();
  }

  /**
   * Decodes the value of {@code key} stored at {@code version}.
   *
   * @throws LeaseLockException when the value is not a leader record
   */
  static LeaderRecord decode(String value, String version, String key) {
    try {
      JsonObject json = JsonParser.parseString(value).getAsJsonObject();
      String preferred = text(json, "preferredHolder");
      return new LeaderRecord(
          text(json, "holderIdentity"),
          Duration.ofSeconds(number(json, "leaseDurationSeconds", 0)),
          time(json, "acquireTime"),
          time(json, "renewTime"),
          number(json, "leaderTransitions", 0),
          number(json, "holderPriority", Integer.MIN_VALUE),
          preferred.isEmpty() ? null
              : new PreferredHolder(preferred,
                  number(json, "preferredHolderPriority", Integer.MIN_VALUE)),
          version);
    } catch (RuntimeException e) {
      String problem = e instanceof MalformedField ? e.getMessage()
          : "it is not the JSON object of a client-go leader record";
      throw new LeaseLockException("etcd key " + key + " holds a value that is not a leader "
          + "record (" + problem + "); it is not overwritten: fix or delete the key", e);
    }
  }

  private static JsonElement time(@Nullable Instant instant) {
    return instant == null ? JsonNull.INSTANCE : new JsonPrimitive(MICRO_TIME.format(instant));
  }

  private static String text(JsonObject json, String field) {
    JsonElement value = json.get(field);
    if (value == null || value.isJsonNull()) {
      return "";
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new MalformedField(field + " must be a string but is " + shown(value));
    }
    return value.getAsString();
  }

  /** A whole number from {@code min} to 2147483647 written as one; never rounded. */
  private static int number(JsonObject json, String field, int min) {
    JsonElement value = json.get(field);
    if (value == null || value.isJsonNull()) {
      return 0;
    }
    String literal = value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()
        ? value.getAsString() : "";
    if (!WHOLE_NUMBER.matcher(literal).matches() || literal.length() > 11
        || Long.parseLong(literal) > Integer.MAX_VALUE || Long.parseLong(literal) < min) {
      throw new MalformedField(field + " must be a whole number from " + min + " to "
          + Integer.MAX_VALUE + " but is " + shown(value));
    }
    return Integer.parseInt(literal);
  }

  private static @Nullable Instant time(JsonObject json, String field) {
    String text = text(json, field);
    try {
      return text.isEmpty() ? null
          : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (RuntimeException e) {
      throw new MalformedField(field + " must be an RFC 3339 time but is "
          + shown(new JsonPrimitive(text)));
    }
  }

  private static String shown(JsonElement value) {
    String json = value.toString();
    return json.length() <= 40 ? json : json.substring(0, 40) + "…";
  }

  /** A field that breaks the record format. */
  private static final class MalformedField extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedField(String message) {
      super(message);
    }
  }
}
