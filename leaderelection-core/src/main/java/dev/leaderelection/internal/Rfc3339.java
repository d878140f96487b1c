package dev.leaderelection.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/** Kubernetes time formats: MicroTime is RFC 3339 in UTC with exactly six fractional digits. */
public final class Rfc3339 {

  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** RFC 3339 but for the offset, written without a colon. */
  private static final DateTimeFormatter COMPACT_OFFSET = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HHMM", "Z").toFormatter();

  private Rfc3339() {
  }

  public static String formatMicros(Instant instant) {
    return MICRO_TIME.format(instant);
  }

  /**
   * Parses RFC 3339 with any number of fractional digits (client-go writes seconds or micros,
   * the official Java client millis), and the compact offset older Java clients wrote
   * ({@code 2020-01-01T00:00:00.000+0000}).
   */
  public static Instant parse(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text, COMPACT_OFFSET).toInstant();
      } catch (DateTimeParseException compact) {
        throw new IllegalArgumentException("'" + text + "' is not an RFC 3339 time", e);
      }
    }
  }

  public static @Nullable OffsetDateTime toUtc(@Nullable Instant instant) {
    return instant == null ? null
        : OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  public static @Nullable Instant toInstant(@Nullable OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
