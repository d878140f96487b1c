package dev.leaderelection.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LeaderRecord} as the JSON of client-go's {@code LeaderElectionRecord}, for locks that
 * keep the record as text (client-go's annotation locks, the etcd lock): its field names and
 * order, times in RFC 3339 (written with six fractional digits, read with any), numbers whole and
 * never rounded, as Go's decoder reads them; fabric8's {@code leaseDuration} is read where
 * client-go's {@code leaseDurationSeconds} is missing. A lock may add fields of its own to the object
 * before it writes it, and read them with {@link #text} and {@link #number}. A field that breaks
 * these rules is a {@link MalformedField} naming it. Stateless.
 *
 * @since 0.2.0
 */
public final class LeaderRecordJson {

  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");
  /** fabric8's name for the lease duration, which it writes instead of client-go's. */
  static final String FABRIC8_LEASE_DURATION = "leaseDuration";

  private LeaderRecordJson() {
  }

  /** client-go's five fields of {@code record}. */
  public static JsonObject write(LeaderRecord record) {
    return write(record, false);
  }

  /**
   * client-go's five fields of {@code record}, and with {@code forFabric8} also fabric8's
   * {@code leaseDuration} (in seconds), which its electors need to read the record.
   */
  public static JsonObject write(LeaderRecord record, boolean forFabric8) {
    JsonObject json = new JsonObject();
    json.addProperty("holderIdentity", record.holderIdentity());
    json.addProperty("leaseDurationSeconds", record.leaseDuration().toSeconds());
    json.add("acquireTime", time(record.acquireTime()));
    json.add("renewTime", time(record.renewTime()));
    json.addProperty("leaderTransitions", record.leaseTransitions());
    if (forFabric8) {
      json.addProperty(FABRIC8_LEASE_DURATION, record.leaseDuration().toSeconds());
    }
    return json;
  }

  /**
   * The JSON object in {@code text}.
   *
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  public static JsonObject parse(String text) {
    try {
      return JsonParser.parseString(text).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "it is not the JSON object of a client-go leader record", e);
    }
  }

  /**
   * The record in client-go's five fields of {@code json}, with what the lock keeps elsewhere.
   *
   * @throws MalformedField when a field breaks client-go's format
   */
  public static LeaderRecord read(JsonObject json, int holderPriority,
      @Nullable PreferredHolder preferredHolder, @Nullable String version) {
    return LeaderRecord.builder()
        .holderIdentity(text(json, "holderIdentity"))
        .leaseDuration(leaseDuration(json))
        .acquireTime(time(json, "acquireTime"))
        .renewTime(time(json, "renewTime"))
        .leaseTransitions(number(json, "leaderTransitions", 0))
        .holderPriority(holderPriority)
        .preferredHolder(preferredHolder)
        .version(version)
        .build();
  }

  /**
   * A string field; empty when absent or null.
   *
   * @throws MalformedField when it is not a string
   */
  public static String text(JsonObject json, String field) {
    JsonElement value = json.get(field);
    if (value == null || value.isJsonNull()) {
      return "";
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new MalformedField(field + " must be a string but is " + shown(value));
    }
    return value.getAsString();
  }

  /**
   * A whole number from {@code min} to 2147483647 written as one (client-go's int32 fields);
   * 0 when absent or null. {@code 2.5}, {@code 1e300} or {@code 2.0} are malformed, never rounded.
   *
   * @throws MalformedField when it is not such a number
   */
  public static int number(JsonObject json, String field, int min) {
    JsonElement value = json.get(field);
    if (value == null || value.isJsonNull()) {
      return 0;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw new MalformedField(field + " must be a number but is " + shown(value));
    }
    String literal = value.getAsString();
    if (!WHOLE_NUMBER.matcher(literal).matches() || literal.length() > 11
        || Long.parseLong(literal) > Integer.MAX_VALUE || Long.parseLong(literal) < min) {
      throw new MalformedField(field + " must be a whole number from " + min + " to "
          + Integer.MAX_VALUE + " but is " + shown(value));
    }
    return Integer.parseInt(literal);
  }

  /**
   * client-go's {@code leaseDurationSeconds}; without it, fabric8's {@code leaseDuration} (a
   * Jackson {@code Duration}: seconds, possibly with a fraction, or ISO-8601 such as
   * {@code PT15S}), so that a lease fabric8 holds is never taken for an expired one.
   */
  private static Duration leaseDuration(JsonObject json) {
    JsonElement seconds = json.get("leaseDurationSeconds");
    JsonElement fabric8 = json.get(FABRIC8_LEASE_DURATION);
    if ((seconds != null && !seconds.isJsonNull()) || fabric8 == null || fabric8.isJsonNull()) {
      return Duration.ofSeconds(number(json, "leaseDurationSeconds", 0));
    }
    try {
      Duration duration = fabric8.getAsJsonPrimitive().isNumber()
          ? Duration.ofNanos(fabric8.getAsBigDecimal().movePointRight(9).longValueExact())
          : Duration.parse(fabric8.getAsString());
      if (duration.isNegative() || duration.toSeconds() > Integer.MAX_VALUE) {
        throw new ArithmeticException("out of range");
      }
      return Duration.ofSeconds(duration.toSeconds());
    } catch (RuntimeException e) {
      throw new MalformedField(FABRIC8_LEASE_DURATION + " must be a duration from 0 to "
          + Integer.MAX_VALUE + " seconds but is " + shown(fabric8));
    }
  }

  private static JsonElement time(@Nullable Instant instant) {
    return instant == null ? JsonNull.INSTANCE : new JsonPrimitive(Rfc3339.formatMicros(instant));
  }

  private static @Nullable Instant time(JsonObject json, String field) {
    String text = text(json, field);
    try {
      return text.isEmpty() ? null : Rfc3339.parse(text);
    } catch (RuntimeException e) {
      throw new MalformedField(field + " must be an RFC 3339 time but is "
          + shown(new JsonPrimitive(text)));
    }
  }

  private static String shown(JsonElement value) {
    String json = value.toString();
    return json.length() <= 40 ? json : json.substring(0, 40) + "…";
  }

  /**
   * A field that breaks client-go's record format; the message names the field, the rule and
   * (shortened) the value.
   *
   * @since 0.2.0
   */
  public static final class MalformedField extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    MalformedField(String message) {
      super(message);
    }
  }
}
